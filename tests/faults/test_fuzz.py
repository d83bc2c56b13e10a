# -*- coding: utf-8 -*-
"""Property-based tests over every public call's arguments: whatever is passed, the client answers or raises
a documented exception (NacosInvalidParam before any request, or a NacosHTTPError the server chose), never
hangs, and leaves no dead worker behind.

Examples per test: NACOS_FUZZ_EXAMPLES (default 150). CI's full run sets it so the whole file generates more
than 10,000 cases.
"""
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import nacos  # noqa: E402
from nacos.exception import NacosHTTPError, NacosInvalidParam, NacosRequestException  # noqa: E402
from nacos.testing import NacosServer  # noqa: E402

pytestmark = pytest.mark.embedded_only

EXAMPLES = int(os.environ.get("NACOS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
ALLOWED = (NacosInvalidParam, NacosHTTPError, NacosRequestException)  # the last: a timeout too short to answer
CALLS = {"n": 0}

names = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from([u"..", u"../../etc/passwd", u"/abs", u"a\x00b", u"CON", u"nul", u"a:b", u"é", u"服务",
                     u"a@@b", u"@x", u" ", u"x" * 300, u"DEFAULT_GROUP", u"ok-name_1.2:3"]),
    st.binary(max_size=20), st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
valid_name = st.from_regex(r"\A[a-zA-Z0-9_.:-]{1,20}\Z")
anything = st.one_of(names, st.just(u"{\"a\": \"b\"}"), st.just(u"[1]"), st.just(u"not json"))
numbers = st.one_of(st.integers(min_value=-10 ** 6, max_value=10 ** 6), st.floats(allow_nan=True),
                    st.sampled_from([0, 65535, 65536, -1, 10000, 10000.5, "8080", "x"]), st.none(), st.booleans())


@pytest.fixture(scope="module")
def env(tmpdir_factory):
    base = tmpdir_factory.mktemp("fuzz")
    before = set(os.listdir(str(base.dirpath())))
    srv = NacosServer()
    srv.start()
    client = nacos.NacosClient(srv.address, failover_base=str(base.join("fo")), snapshot_base=str(base.join("sn")),
                               naming_cache_dir=str(base.join("nc")), default_timeout=2,
                               managed_heartbeat=False)
    yield client, base
    client.stop()
    srv.stop()
    assert set(os.listdir(str(base.dirpath()))) - before == set()  # nothing written beside the bases
    print("fuzz: %d generated calls" % CALLS["n"])


def attempt(fn, *args, **kwargs):
    CALLS["n"] += 1
    try:
        fn(*args, **kwargs)
    except ALLOWED:
        pass


@FUZZ
@given(data_id=st.one_of(names, valid_name), group=st.one_of(names, valid_name), content=anything,
       timeout=numbers)
def test_config_calls(env, data_id, group, content, timeout):
    client, _ = env
    attempt(client.publish_config, data_id, group, content)
    attempt(client.get_config, data_id, group, timeout=timeout)
    attempt(client.get_config, data_id, group)
    attempt(client.remove_config, data_id, group)


@FUZZ
@given(service=st.one_of(names, valid_name), ip=st.one_of(names, st.just("10.0.0.1")), port=numbers,
       cluster=st.one_of(names, st.just("c-1")), weight=numbers, metadata=anything,
       group=st.one_of(names, valid_name))
def test_naming_calls(env, service, ip, port, cluster, weight, metadata, group):
    client, _ = env
    attempt(client.add_naming_instance, service, ip, port, cluster, weight, metadata, group_name=group)
    attempt(client.modify_naming_instance, service, ip, port, cluster, weight, metadata, group_name=group)
    attempt(client.send_heartbeat, service, ip, port, cluster, weight, metadata, group_name=group)
    attempt(client.list_naming_instance, service, cluster, None, group)
    attempt(client.remove_naming_instance, service, ip, port, cluster, group_name=group)


@FUZZ
@given(key=st.sampled_from(sorted(nacos.options.SPEC) + ["bogus"]), value=st.one_of(numbers, anything))
def test_set_options(env, key, value):
    client = nacos.NacosClient("127.0.0.1:1")
    attempt(client.set_options, **{key: value})
    client.stop()


@FUZZ
@given(addresses=st.one_of(names, st.lists(names, max_size=3), st.just(u"h:1,[::1]:2,https://x:3")),
       namespace=names)
def test_constructor(addresses, namespace):
    CALLS["n"] += 1
    try:
        nacos.NacosClient(addresses, namespace=namespace).stop()
    except NacosInvalidParam:
        pass


@FUZZ
@given(data_id=st.one_of(names, valid_name), group=st.one_of(names, valid_name))
def test_watchers_survive_anything(env, data_id, group):
    client, _ = env
    seen = []
    attempt(client.add_config_watcher, data_id, group, seen.append)
    attempt(client.remove_config_watcher, data_id, group, seen.append, remove_all=True)
    watcher = client.config._config_watchers(create=False)
    if watcher is not None:  # no poller thread died
        with watcher.lock:
            pollers = list(watcher.pollers.values())
        assert all(p.thread is None or p.thread.is_alive() for p in pollers)
