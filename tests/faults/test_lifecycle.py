"""stop()/close()/context manager, thread ownership, fork safety and resource leaks."""
import os
import sys
import threading

import pytest

import nacos
from nacos.testing import NacosServer
from support.net import AddressServer
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
        assert any(t.name == "nacos-address-refresher" for t in _nacos_threads())
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
