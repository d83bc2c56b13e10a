# -*- coding: utf-8 -*-
"""Issue 15 (drop-in fidelity): names, hooks and inputs legacy code relies on, without a server."""
import inspect
import logging
import os
import pickle
import subprocess
import sys

import pytest

import nacos
from nacos import commons, files, legacy, listener, options, params as P, servers, task, timer
from nacos.exception import NacosException, NacosInvalidParam
from nacos.servers import ServerList, parse_address


def _arg_names(fn):
    spec = inspect.getargspec(fn) if sys.version_info[0] < 3 else inspect.getfullargspec(fn)
    return spec.args


# ------------------------------------------------------------------------------------------ names and modules
def test_import_nacos_loads_the_legacy_submodules():
    code = ("import nacos; [getattr(nacos, m) for m in ('client', 'timer', 'listener', 'task', 'files', "
            "'params', 'commons', 'exception', 'auth')]")
    subprocess.check_call([sys.executable, "-c", code])


def test_nacos_client_reexports_the_legacy_names():
    import nacos.client as c
    for name in ("NacosRequestException", "Event", "SimpleListenerManager", "NacosTimer", "NacosTimerManager",
                 "HeartbeatInfo", "HeartbeatTask", "process_common_config_params", "parse_pulling_result",
                 "parse_nacos_server_addr", "group_key", "parse_key", "is_valid", "truncate",
                 "synchronized_with_attr", "python_version_bellow", "read_file_str", "save_file", "delete_file",
                 "WatcherWrap", "SubscribedLocalInstance", "DEBUG", "VERSION", "DEFAULT_NAMESPACE",
                 "ADDRESS_SERVER_TIMEOUT", "WORD_SEPARATOR", "LINE_SEPARATOR", "OPTIONS"):
        assert hasattr(c, name), name
    assert c.DEBUG is False and c.NacosTimer is timer.NacosTimer


def test_legacy_helpers():
    assert legacy.process_common_config_params("d", "  ") == ("d", "DEFAULT_GROUP")
    with pytest.raises(NacosException) as info:
        legacy.process_common_config_params("bad id", "g")
    assert str(info.value) == "Invalid dataId."
    assert legacy.parse_pulling_result(b"d1%02g1%01d2%02g2%02ns%01") == [["d1", "g1", ""], ["d2", "g2", "ns"]]
    assert legacy.parse_pulling_result(b"") == []
    assert legacy.parse_nacos_server_addr("h") == ("h", 8848)
    assert legacy.parse_nacos_server_addr("https://h:9") == ("https://h", 9)


def test_commons():
    assert commons.truncate("") == "" and commons.truncate("abc", 2) == "ab..." and commons.truncate("ab") == "ab"
    assert commons.python_version_bellow("99.0") and not commons.python_version_bellow("2.0")
    assert not commons.python_version_bellow("")

    class Locked(object):
        import threading
        lock = threading.RLock()

        @commons.synchronized_with_attr("lock")
        def held(self):
            return self.lock._is_owned()

    assert Locked().held()


def test_files_params_timer_listener_task_names():
    assert files.use_fcntl is (files.fcntl is not None)
    assert _arg_names(files.lock_file) == ["f"]
    assert P.PARAM_KEYS == ["data_id", "group"]
    t = timer.NacosTimer("n", len, 3, "x")
    t.set_on_result(repr).set_on_exception(str).set_ignore_ex(True)
    assert (t.name, t.fn, t.interval, t.ignore_ex, t.on_result, t.on_exception) == ("n", len, 3, True, repr, str)
    manager = listener.SimpleListenerManager()
    manager.add_listener(listener.SubscribeListener(len, "a"))
    assert list(manager.manager_context) == ["a"]  # a property, as in the legacy class
    info = task.HeartbeatInfo("svc", "1.2.3.4", 80, "c", "G", 2.0, 7, {"k": "v"})
    assert (info.cluster_name, info.group_name, info.weight, info.heartbeat_interval, info.metadata) == \
        ("c", "G", 2.0, 7, {"k": "v"})
    assert _arg_names(task.HeartbeatTask.__init__) == ["self", "beat_info", "client"]
    beat = task.HeartbeatTask(beat_info=info, client=None)
    assert beat.beat_info is info and beat.stopped is False
    beat.stop()
    assert beat.stopped is True


def test_set_debugging_adds_one_stderr_handler():
    root = logging.getLogger("nacos")
    before, level = list(root.handlers), root.level
    try:
        nacos.NacosClient.set_debugging()
        nacos.NacosClient.set_debugging()
        added = [h for h in root.handlers if h not in before]
        assert len(added) <= 1 and root.level == logging.DEBUG
        assert any(isinstance(h, logging.StreamHandler) for h in root.handlers)
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
        del nacos.logsetup._debugging[:]
        root.setLevel(level)


# ------------------------------------------------------------------------------------------ client hooks
def test_inject_version_info():
    headers = {}
    nacos.NacosClient._inject_version_info(headers)
    assert headers["User-Agent"] == "Nacos-Python-Client:v%s" % nacos.__version__


def test_inject_auth_info_legacy_placement():
    off = nacos.NacosClient("127.0.0.1:1")
    assert off.auth_enabled is None
    headers, params = {}, {}
    off._inject_auth_info(headers, params, data=None, module="config")
    assert headers == {} and params == {}

    signed = nacos.NacosClient("127.0.0.1:1", ak="AK", sk="SK")
    assert signed.auth_enabled is True
    headers = {}
    signed._inject_auth_info(headers, {"tenant": "t", "group": "g"}, data=None, module="config")
    assert headers["Spas-AccessKey"] == "AK" and headers["timeStamp"].isdigit() and "Spas-Signature" in headers
    headers = {}
    signed._inject_auth_info(headers, {}, data={"dataId": "d"}, module="config")
    assert "Spas-Signature" not in headers and headers["Spas-AccessKey"] == "AK"  # no tenant, no group
    params = {"serviceName": "svc", "groupName": "G"}
    signed._inject_auth_info({}, params, data=None, module="naming")
    assert params["ak"] == "AK" and params["data"].endswith("@@G@@svc") and params["signature"]
    params = {"serviceName": "svc"}
    signed._inject_auth_info({}, params, data=None, module="login")
    assert params == {"serviceName": "svc"}


# ------------------------------------------------------------------------------------------ current_server
def test_assigned_current_server_is_tried_first_until_it_fails():
    a, b = parse_address("a:1"), parse_address("b:2")
    servers_ = ServerList([a, b])
    pinned = parse_address("x:9")
    servers_.pin(pinned)
    assert servers_.current() == pinned and servers_.attempt_order() == [pinned, b]
    servers_.rotate(pinned)
    assert servers_.current() == b and servers_.attempt_order() == [b, a]
    servers_.pin(a)  # a listed server just becomes the current one
    assert servers_.current() == a and servers_.offset == 0

    c = nacos.NacosClient("127.0.0.1:1")
    c.current_server = ("1.100.84.215", 8080)
    assert c.current_server == c.get_server() == ("1.100.84.215", 8080) and c.server_offset == 0
    c.current_server = ("::1", 8848)
    assert c.current_server == ("::1", 8848)


def test_address_server_body_is_decoded_as_utf8_whatever_the_content_type():
    class Raw(object):
        status_code = 200
        content = u"\ufeff10.0.0.1\n10.0.0.2:9000\n".encode("utf-8")
        headers = {"Content-Type": "application/octet-stream"}

    class Session(object):
        def get(self, url, **kwargs):
            return Raw()

    class FakeTransport(object):
        session = Session()

        def _verify_setting(self):
            return True

        def _proxies_for(self, url):
            return None

    text = servers.address_fetcher(FakeTransport())("http://addr/nacos/serverlist", 3)
    assert [s.url for s in servers.parse_server_list_body(text)] == ["http://10.0.0.1:8848",
                                                                     "http://10.0.0.2:9000"]


# ------------------------------------------------------------------------------------------ inputs
def test_grouped_service_names():
    assert P.service_and_group("G@@svc", None) == ("svc", "G")
    assert P.service_and_group("G@@svc", "DEFAULT_GROUP") == ("svc", "G")
    assert P.service_and_group("G@@svc", "G") == ("svc", "G")
    assert P.service_and_group("svc", "H") == ("svc", "H")
    for bad, group in (("@@svc", None), ("G@@", None), ("G@@svc", "H"), ("G@@a@@b", None)):
        with pytest.raises(NacosInvalidParam):
            P.service_and_group(bad, group)


def test_metadata_key_value_string():
    assert P.metadata("k=v,k2=v2") == {"k": "v", "k2": "v2"}
    assert P.metadata('{"k": "v"}') == {"k": "v"}
    for bad in ("k", "k=v=w", "k=", "{not json"):
        with pytest.raises(NacosInvalidParam):
            P.metadata(bad)


def test_set_options_numbers_as_strings_and_pulling_timeout_clamp(caplog):
    c = nacos.NacosClient("127.0.0.1:1")
    c.set_options(default_timeout="5", pulling_config_size="100", callback_thread_num="4", retry_window="2.5")
    assert (c.default_timeout, c.pulling_config_size, c.callback_thread_num, c.retry_window) == (5, 100, 4, 2.5)
    for bad in ({"default_timeout": "x"}, {"pulling_config_size": "1.5"}, {"default_timeout": "-1"}):
        with pytest.raises(NacosInvalidParam):
            c.set_options(**bad)
    options._warned.discard("pulling_timeout")
    with caplog.at_level(logging.WARNING, logger="nacos.options"):
        c.set_options(pulling_timeout=1)
        c.set_options(pulling_timeout="5")
    assert c.pulling_timeout == 10
    assert len([r for r in caplog.records if "pulling_timeout" in r.getMessage()]) == 1


def test_nacos_exception_with_several_args_is_an_ordinary_exception():
    e = NacosException("a", "b")
    assert e.args == ("a", "b") and str(e) == str(Exception("a", "b")) and e.message == "a" and e.status is None
    again = pickle.loads(pickle.dumps(e))
    assert again.args == ("a", "b")
    e = NacosException("x", status=404, method="GET")
    assert str(e) == "x [HTTP 404 GET]" and pickle.loads(pickle.dumps(e)).status == 404
    with pytest.raises(TypeError):
        NacosException("x", bogus=1)


# ------------------------------------------------------------------------------------------ long file names
def test_keys_longer_than_a_file_name_are_readable_and_writable(tmpdir):
    base = str(tmpdir)
    long_a = u"é" * 200 + u"a+DEFAULT_GROUP+"
    long_b = u"é" * 200 + u"b+DEFAULT_GROUP+"
    files.save_file(base, long_a, u"A")
    files.save_file(base, long_b, u"B")
    assert files.read_file_str(base, long_a) == u"A" and files.read_file_str(base, long_b) == u"B"
    names = os.listdir(base)
    assert len(names) == 2 and all(len(n.encode("utf-8") if not isinstance(n, bytes) else n) <= 255
                                   for n in names)
    files.delete_file(base, long_a)
    assert files.read_file_str(base, long_a) is None and files.read_file_str(base, long_b) == u"B"
    assert files.safe_name(u"short+g+") == u"short+g+"
