"""stop()/close()/context manager, thread ownership, fork safety and resource leaks."""
import os
import sys
import threading

import pytest

import nacos
from nacos.testing import NacosServer
from support.net import AddressServer
from support.fork import run_in_child
from support.wait import wait_for

pytestmark = pytest.mark.embedded_only


def _nacos_threads():
    return [t for t in threading.enumerate()
            if t.name.startswith("nacos-") and not t.name.startswith("nacos-testing-") and t.is_alive()]


def _client_threads():
    return [t for t in threading.enumerate() if not t.name.startswith("nacos-testing-")]


def _open_fds():
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        pytest.skip("no /proc/self/fd")


@pytest.fixture
def srv():
    with NacosServer() as server:
        yield server


def test_stop_is_idempotent_and_joins_threads(srv):
    addr = AddressServer(srv.address)
    try:
        c = nacos.NacosClient(endpoint=addr.address, snapshot_base=None, failover_base=None)
        assert c._runtime.scheduler.pending() == 1  # the next address refresh (timed by the runtime)
        c.get_config("d", "g")
        c.stop()
        assert not _nacos_threads()
        c.stop()
        c.close()
    finally:
        addr.stop()


def test_context_manager(srv):
    with nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None) as c:
        c.publish_config("cm", "g", "v")
    assert not _nacos_threads()
    # a stopped client can still be used for plain calls
    assert c.get_config("cm", "g") == "v"
    c.stop()


def test_create_use_stop_cycles_leave_nothing_behind(srv):
    def cycle():
        with nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None) as c:
            c.publish_config("cyc", "g", "v")
            assert c.get_config("cyc", "g") == "v"
            c.list_naming_instance("svc")

    cycle()
    threads, fds = len(_client_threads()), _open_fds()
    for _ in range(50):
        cycle()
    assert len(_client_threads()) <= threads
    wait_for(lambda: _open_fds() <= fds + 2, message="file descriptors leaked")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_client_used_after_fork_rebuilds_its_session(srv):
    c = nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None)
    c.publish_config("fork", "g", "parent")
    parent_session = c._transport.session
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_fd)
            ok = c._transport.session is not parent_session
            c.publish_config("fork", "g", "child")
            ok = ok and c.get_config("fork", "g") == "child"
            os.write(write_fd, b"ok" if ok else b"bad")
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    answer = os.read(read_fd, 10)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    assert answer == b"ok" and status == 0
    assert c.get_config("fork", "g") == "child"  # the parent's pooled connections still work
    c.stop()


def test_logging_is_silent_by_default_and_file_logging_is_opt_in(srv, tmpdir):
    import logging
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("nacos").handlers)
    before = set(os.listdir(str(tmpdir)))
    c = nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None)
    c.get_config("d", "g")
    c.stop()
    assert set(os.listdir(str(tmpdir))) == before
    log_dir = tmpdir.join("logs")
    c = nacos.NacosClient(srv.address, logDir=str(log_dir), log_level="DEBUG", snapshot_base=None,
                          failover_base=None)
    c.get_config("d", "g")
    c.stop()
    for h in logging.getLogger("nacos").handlers:
        h.flush()
    text = log_dir.join("nacos-client-python.log").read()
    assert "/v1/cs/configs" in text
    nacos.NacosClient(srv.address, logDir=str(log_dir), snapshot_base=None, failover_base=None).stop()
    handlers = [h for h in logging.getLogger("nacos").handlers if getattr(h, "baseFilename", "").startswith(
        str(log_dir))]
    assert len(handlers) == 1  # never a duplicate handler
    for h in handlers:
        logging.getLogger("nacos").removeHandler(h)
        h.close()
    from nacos import logsetup
    logsetup._installed.clear()
    assert sys.modules["nacos"]


def _ignore_errors(fn):
    def call(*args):
        try:
            fn(*args)
        except nacos.NacosException:  # the parent's own login may time out on a loaded machine: not the point
            pass
    return call


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_fork_during_a_login_leaves_the_child_working():
    with NacosServer(auth_enabled=True, users={"u": "p"}) as srv:
        c = nacos.NacosClient(srv.address, username="u", password="p", snapshot_base=None, failover_base=None)
        try:
            assert c.publish_config("fork-login", "g", "v")
            decide, in_login = srv.faults.decide, threading.Event()

            def watched_decide(path, method):
                answer = decide(path, method)
                if path.endswith("/auth/login"):
                    in_login.set()
                return answer
            srv.faults.decide = watched_decide
            srv.delay(2, path="/v1/auth/login")
            manager = c._transport.token_manager
            manager.invalidate(manager.token)
            login = threading.Thread(target=_ignore_errors(c.get_config), args=("fork-login", "g"))
            login.daemon = True
            login.start()  # logs in again, holding the token manager's lock for 2 s
            assert in_login.wait(10)
            srv.delay(0, path="/v1/auth/login")  # the child's own login is answered at once

            def child():
                return b"ok" if c.get_config("fork-login", "g") == "v" else b"bad"
            assert run_in_child(child) == b"ok"
            login.join(10)
        finally:
            c.stop()


def _nacos_thread_names(_=None):
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("nacos-") and t.is_alive())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_child_that_never_uses_the_client_runs_no_client_thread(srv):
    import multiprocessing
    addr = AddressServer(srv.address)
    busy = nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None, naming_cache_dir=None,
                             heartbeat_interval=0.3)
    stopped = nacos.NacosClient(endpoint=addr.address, snapshot_base=None, failover_base=None)
    try:
        busy.add_naming_instance("fork-idle", "10.18.0.1", 80)
        busy.add_config_watcher("fork-idle", "g", lambda params: None)
        stopped.stop()
        wait_for(lambda: "nacos-scheduler" in _nacos_thread_names())
        context = multiprocessing.get_context("fork") if hasattr(multiprocessing, "get_context") else multiprocessing
        pool = context.Pool(1)
        try:
            names = pool.apply(_nacos_thread_names)
        finally:
            pool.terminate()
            pool.join()
        assert names == []
        # a forked child that uses the client gets its background work then
        assert run_in_child(lambda: ",".join(
            [str(busy.list_naming_instance("fork-idle")["hosts"][0]["ip"])] + _nacos_thread_names()).encode(
            "utf-8")).startswith(b"10.18.0.1,")
    finally:
        busy.stop()
        stopped.stop()
        addr.stop()
