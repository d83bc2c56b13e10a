"""The legacy public surface (nacos-sdk-python 2.0.11, ../shared/reference/legacy-client.md section 2)."""
import inspect

import pytest

import nacos


def test_top_level_names():
    ns = {}
    exec("from nacos import *", ns)
    for name in ("NacosClient", "NacosException", "DEFAULTS", "DEFAULT_GROUP_NAME"):
        assert name in ns
    assert nacos.DEFAULT_GROUP_NAME == "DEFAULT_GROUP"
    assert nacos.__version__
    assert nacos.DEFAULTS["TIMEOUT"] == 3 and nacos.DEFAULTS["PULLING_TIMEOUT"] == 30
    assert nacos.DEFAULTS["PULLING_CONFIG_SIZE"] == 3000 and nacos.DEFAULTS["CALLBACK_THREAD_NUM"] == 10
    assert nacos.DEFAULTS["FAILOVER_BASE"] == "nacos-data/data"
    assert nacos.DEFAULTS["SNAPSHOT_BASE"] == "nacos-data/snapshot"


def test_legacy_modules_import():
    from nacos.exception import NacosException, NacosRequestException  # noqa: F401
    from nacos.listener import Event, AbstractListener, SubscribeListener, SimpleListenerManager  # noqa: F401
    from nacos.params import is_valid, check_params, group_key, parse_key, VALID_CHAR  # noqa: F401
    from nacos.files import read_file_str, read_file, save_file, delete_file, lock_file  # noqa: F401
    from nacos.auth import Credentials, CredentialsProvider, StaticCredentialsProvider  # noqa: F401
    from nacos.timer import NacosTimer, NacosTimerManager  # noqa: F401
    from nacos.task import HeartbeatInfo, HeartbeatTask  # noqa: F401
    from nacos.client import NacosClient, DEFAULTS, DEFAULT_GROUP_NAME, VERSION  # noqa: F401
    assert VERSION == nacos.__version__
    assert issubclass(NacosRequestException, NacosException)


def _params(fn):
    spec = inspect.getargspec(fn) if not hasattr(inspect, "signature") else None
    if spec is not None:
        defaults = dict(zip(spec.args[-len(spec.defaults or ()):], spec.defaults or ()))
        return [(a, defaults.get(a, "<req>")) for a in spec.args[1:]]
    out = []
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        out.append((p.name, "<req>" if p.default is p.empty else p.default))
    return out


LEGACY = {
    "__init__": [("server_addresses", None), ("endpoint", None), ("namespace", None), ("ak", None), ("sk", None),
                 ("username", None), ("password", None), ("logDir", None), ("log_level", None),
                 ("log_rotation_backup_count", None), ("credentials_provider", None)],
    "get_config": [("data_id", "<req>"), ("group", "<req>"), ("timeout", None), ("no_snapshot", None)],
    "get_configs": [("timeout", None), ("no_snapshot", None), ("group", ""), ("page_no", 1), ("page_size", 1000)],
    "publish_config": [("data_id", "<req>"), ("group", "<req>"), ("content", "<req>"), ("app_name", None),
                       ("config_type", None), ("timeout", None)],
    "remove_config": [("data_id", "<req>"), ("group", "<req>"), ("timeout", None)],
    "add_naming_instance": [("service_name", "<req>"), ("ip", "<req>"), ("port", "<req>"), ("cluster_name", None),
                            ("weight", 1.0), ("metadata", None), ("enable", True), ("healthy", True),
                            ("ephemeral", True), ("group_name", "DEFAULT_GROUP"), ("heartbeat_interval", None)],
    "remove_naming_instance": [("service_name", "<req>"), ("ip", "<req>"), ("port", "<req>"),
                               ("cluster_name", None), ("ephemeral", True), ("group_name", "DEFAULT_GROUP")],
    "modify_naming_instance": [("service_name", "<req>"), ("ip", "<req>"), ("port", "<req>"),
                               ("cluster_name", None), ("weight", None), ("metadata", None), ("enable", None),
                               ("ephemeral", True), ("group_name", "DEFAULT_GROUP")],
    "list_naming_instance": [("service_name", "<req>"), ("clusters", None), ("namespace_id", None),
                             ("group_name", None), ("healthy_only", False)],
    "get_naming_instance": [("service_name", "<req>"), ("ip", "<req>"), ("port", "<req>"), ("cluster_name", None)],
    "send_heartbeat": [("service_name", "<req>"), ("ip", "<req>"), ("port", "<req>"), ("cluster_name", None),
                       ("weight", 1.0), ("metadata", None), ("ephemeral", True), ("group_name", "DEFAULT_GROUP")],
}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_positional_order_and_defaults(name):
    fn = getattr(nacos.NacosClient, name)
    actual = _params(fn)
    legacy = LEGACY[name]
    assert actual[:len(legacy)] == legacy


def test_constructor_requires_an_address():
    with pytest.raises(ValueError) as info:
        nacos.NacosClient()
    assert "server_addresses" in str(info.value)


def test_legacy_attributes_and_set_options():
    c = nacos.NacosClient("a:1,b:2", namespace="ns")
    assert c.server_list == [("a", 1), ("b", 2)]
    assert c.current_server == ("a", 1) and c.get_server() == ("a", 1)
    c.change_server()
    assert c.get_server() == ("b", 2) and c.server_offset == 1
    assert c.namespace == "ns"
    assert c.default_timeout == 3 and c.pulling_timeout == 30 and c.callback_thread_num == 10
    c.set_options(default_timeout=5, no_snapshot=True, proxies={"http": "http://p:1"})
    assert c.default_timeout == 5 and c.no_snapshot is True
    c.pulling_config_size = 10
    assert c.pulling_config_size == 10
    for bad in ({"default_timeout": 0}, {"pulling_timeout": 0}, {"callback_thread_num": 0},
                {"no_snapshot": "yes"}, {"proxies": "http://p"}, {"tls_verify": "/no/such/ca.pem"}):
        with pytest.raises(ValueError) as info:
            c.set_options(**bad)
        assert list(bad)[0] in str(info.value)
    with pytest.raises(ValueError) as info:
        c.set_options(no_such_option=1)
    assert "no_such_option" in str(info.value)
    with pytest.raises(ValueError):
        c.default_timeout = -1
    assert c.get_md5(u"abc") == "900150983cd24fb0d6963f7d28e17f72" and c.get_md5(None) is None
    c.stop()
    c.stop()


def test_bad_arguments_raise_before_any_request():
    c = nacos.NacosClient("127.0.0.1:1")  # nothing listens there: a request would fail differently
    cases = [
        (lambda: c.get_config("bad id", "g"), "data_id"),
        (lambda: c.publish_config("d", "g", None), "content"),
        (lambda: c.publish_config("d", "g/x", "c"), "group"),
        (lambda: c.get_config("d", "g", timeout=-1), "timeout"),
        (lambda: c.add_naming_instance("svc", "1.2.3.4", 70000), "port"),
        (lambda: c.add_naming_instance("svc", "1.2.3.4", 80, weight=10001), "weight"),
        (lambda: c.add_naming_instance("@@svc", "1.2.3.4", 80), "service_name"),
        (lambda: c.add_naming_instance("g@@svc", "1.2.3.4", 80, group_name="other"), "service_name"),
        (lambda: c.add_naming_instance("svc", "1.2.3.4", 80, cluster_name="bad_cluster"), "cluster_name"),
        (lambda: c.add_naming_instance("svc", "1.2.3.4", 80, metadata="{not json"), "metadata"),
        (lambda: c.list_naming_instance("svc", clusters="a b"), "clusters"),
        (lambda: c.send_heartbeat("svc", "", 80), "ip"),
    ]
    for call, argument in cases:
        with pytest.raises(nacos.exception.NacosInvalidParam) as info:
            call()
        assert info.value.argument == argument, (argument, info.value)
    for bad in ("h:notaport", "http://h:1/path", "[::1"):
        with pytest.raises(ValueError):
            nacos.NacosClient(bad)
