"""The client runtime (nacos/runtime.py), the policy objects (nacos/policy.py), the options snapshot and the
generated legacy delegates: pure logic, no server."""
import inspect
import os
import sys
import threading

import pytest

import nacos
from nacos.config.calls import ConfigService
from nacos.naming.calls import NamingService
from nacos.options import LiveOptions, Options, defaults
from nacos.policy import NOT_IDEMPOTENT, ONE_PASS, READ, Retry, Timeout, beat_policy
from nacos.runtime import Runtime
from support.wait import wait_for


@pytest.fixture
def runtime():
    rt = Runtime("test", LiveOptions())
    yield rt
    rt.stop(2.0)


class _Part(object):
    def __init__(self, log, name):
        self.log, self.name = log, name

    def stop(self, timeout):
        self.log.append(("stop", self.name))

    def after_fork(self):
        self.log.append(("after_fork", self.name))

    def options_changed(self, changed):
        self.log.append(("options", self.name, sorted(changed)))


# ------------------------------------------------------------------ scheduler
def test_one_scheduler_thread_runs_timers_in_due_order(runtime):
    ran, done = [], threading.Event()
    runtime.call_later(0.15, ran.append, "c")
    runtime.call_later(0.05, ran.append, "a")
    runtime.call_later(0.10, ran.append, "b")
    runtime.call_later(0.20, done.set)
    assert done.wait(5)
    assert ran == ["a", "b", "c"]
    assert [t.name for t in runtime.threads()] == ["nacos-scheduler"]


def test_a_cancelled_timer_never_runs_and_a_failing_one_does_not_stop_the_others(runtime):
    ran, done = [], threading.Event()
    timer = runtime.call_later(0.05, ran.append, "cancelled")
    timer.cancel()
    runtime.call_later(0.06, lambda: 1 / 0)
    runtime.call_later(0.1, done.set)
    assert done.wait(5)
    assert ran == []


def test_a_sooner_timer_wakes_a_waiting_scheduler(runtime):
    late, soon = threading.Event(), threading.Event()
    runtime.call_later(30, late.set)
    runtime.call_later(0.05, soon.set)
    assert soon.wait(5)
    assert not late.is_set()


# ------------------------------------------------------------------ threads and lifecycle
def test_spawned_threads_are_tracked_and_an_error_in_one_is_logged(runtime, caplog):
    gate = threading.Event()
    runtime.spawn(gate.wait, "nacos-test-a", 5)
    runtime.spawn(lambda: 1 / 0, "nacos-test-b")
    assert "nacos-test-a" in [t.name for t in runtime.threads()]
    wait_for(lambda: "nacos-test-b" not in [t.name for t in runtime.threads()], timeout=5)
    assert any("nacos-test-b" in r.getMessage() for r in caplog.records)
    gate.set()
    wait_for(lambda: not runtime.threads(), timeout=5)


def test_stop_stops_parts_newest_first_joins_everything_and_is_idempotent(runtime):
    log = []
    first = runtime.part("first", lambda: _Part(log, "first"))
    assert runtime.part("first", lambda: _Part(log, "other")) is first  # created once
    runtime.part("second", lambda: _Part(log, "second"))
    gate = threading.Event()
    runtime.spawn(gate.wait, "nacos-test-wait", 0.3)
    runtime.call_later(60, log.append, "never")
    executor = runtime.executor("nacos-test-exec", 2)
    executor.submit("k", gate.wait, 0.3)
    runtime.stop(5.0)
    assert log == [("stop", "second"), ("stop", "first")]
    assert runtime.threads() == [] and runtime.stopped
    runtime.stop(1.0)  # idempotent
    assert log == [("stop", "second"), ("stop", "first")]
    assert runtime.get("first") is None
    runtime.part("first", lambda: _Part(log, "again"))  # used again: comes back to life
    assert not runtime.stopped


def test_options_changed_reaches_every_part(runtime):
    log = []
    runtime.part("a", lambda: _Part(log, "a"))
    runtime.options_changed({"default_timeout": 2})
    assert log == [("options", "a", ["default_timeout"])]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_a_new_generation_and_restarts_parts_at_first_use(runtime):
    log = []
    runtime.part("a", lambda: _Part(log, "a"))
    runtime.call_later(0.01, lambda: None)
    wait_for(lambda: runtime.threads(), timeout=5)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave at once
        try:
            before = (runtime.generation, len(runtime.threads()), list(log))
            runtime.check_fork()  # the child's first use
            after = (runtime.generation, list(log))
            os.write(write, repr((before, after)).encode("ascii"))
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 4096).decode("ascii")
    os.close(read)
    before, after = eval(answer)  # noqa: S307 - our own repr
    assert before == (1, 0, [])  # the at-fork hook: new generation, no parent thread, nothing restarted yet
    assert after == (1, [("after_fork", "a")])
    assert runtime.generation == 0 and log == []  # the parent is untouched


# ------------------------------------------------------------------ options
def test_options_are_an_immutable_snapshot_swapped_whole():
    live = LiveOptions()
    snap = live.snapshot
    assert isinstance(snap, Options) and snap["default_timeout"] == defaults()["default_timeout"]
    with pytest.raises(AttributeError):
        snap.default_timeout = 1
    with pytest.raises(TypeError):
        snap["default_timeout"] = 1  # no item assignment
    changed = live.update({"default_timeout": "5", "retry_window": 2})
    assert changed == {"default_timeout": 5.0, "retry_window": 2.0}
    assert live["default_timeout"] == 5.0 and snap["default_timeout"] == defaults()["default_timeout"]
    with pytest.raises(nacos.exception.NacosInvalidParam):
        live.update({"default_timeout": 7, "no_such_option": 1})
    assert live["default_timeout"] == 5.0  # nothing of a refused update applied


def test_set_options_swaps_the_snapshot_the_parts_read():
    client = nacos.NacosClient("127.0.0.1:1", snapshot_base=None, failover_base=None)
    try:
        before = client._options.snapshot
        client.set_options(default_timeout=7)
        assert client._options.snapshot is not before and before["default_timeout"] == 3
        assert client.naming._options["default_timeout"] == 7 and client.default_timeout == 7
        assert client.options()["default_timeout"] == 7
    finally:
        client.stop()


# ------------------------------------------------------------------ policies
def test_retry_policies_express_the_endpoint_rules():
    assert READ.idempotent and READ.window_for(15) == 15.0
    assert ONE_PASS.window_for(15) == 0.0
    assert not NOT_IDEMPOTENT.idempotent and NOT_IDEMPOTENT.window_for(15) == 0.0
    assert [READ.pause(n) for n in (1, 2, 3, 4, 5, 6)] == [0.2, 0.4, 0.8, 1.6, 2.0, 2.0]
    flag = []
    beat_retry, beat_timeout = beat_policy(123.0, lambda: bool(flag))
    assert beat_retry.window_for(15) == 0.0 and beat_timeout.ends_at() == 123.0
    assert not beat_retry.interrupted()
    flag.append(1)
    assert beat_retry.interrupted()
    with pytest.raises(AttributeError):
        READ.window = 3
    assert READ.new(window=3) == Retry(window=3) and READ.window is None
    with pytest.raises(ValueError):
        Retry(window=-1)


def test_timeout_policy_resolves_against_the_client_default():
    assert Timeout().resolve(3) == (3, 3)
    assert Timeout(read=45).resolve(3) == (3, 45)
    assert Timeout(connect=1, read=2).resolve(3) == (1, 2)
    assert Timeout().ends_at() is None
    assert Timeout(total=10).ends_at(now=100.0) == 110.0
    with pytest.raises(ValueError):
        Timeout(total=0)


# ------------------------------------------------------------------ services and delegates
def _spec(fn):
    spec = inspect.getargspec(fn) if sys.version_info[0] < 3 else inspect.getfullargspec(fn)
    return spec.args, spec.varargs, spec.defaults


@pytest.mark.parametrize("service", [ConfigService, NamingService])
def test_every_service_method_has_a_legacy_delegate_with_its_signature(service):
    names = [n for n in dir(service) if not n.startswith("_") and inspect.isfunction(getattr(service, n, None))
             or (not n.startswith("_") and inspect.ismethod(getattr(service, n, None)))]
    assert names
    for name in names:
        delegate = getattr(nacos.NacosClient, name)
        original = getattr(service, name)
        assert _spec(delegate) == _spec(original), name
        assert delegate.__doc__ == original.__doc__


def test_the_client_is_composed_of_two_services_on_one_transport_and_runtime():
    client = nacos.NacosClient("127.0.0.1:1", namespace="ns", snapshot_base=None, failover_base=None)
    try:
        assert isinstance(client.config, ConfigService) and isinstance(client.naming, NamingService)
        assert client.config._transport is client._transport is client.naming._naming_api.transport
        assert client.config._runtime is client._runtime is client.naming._runtime
        assert client.config.namespace == client.naming.namespace == "ns"
        assert not isinstance(client, (ConfigService, NamingService))  # composed, not mixed in
    finally:
        client.stop()
