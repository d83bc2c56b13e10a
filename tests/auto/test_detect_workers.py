"""Detection (listening sockets, IP choice, names) and the multi-worker bookkeeping."""
import os
import shutil
import socket
import subprocess
import sys

import pytest

from nacos.auto import detect
from nacos.auto.workers import WorkerSet

linux = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")


@linux
def test_proc_listening_finds_this_process_sockets_only():
    before = set(detect.proc_listening())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        assert ("127.0.0.1", port) not in before
        sock.listen(1)
        assert ("127.0.0.1", port) in detect.proc_listening()
    finally:
        sock.close()
    assert ("127.0.0.1", port) not in detect.proc_listening()


@linux
def test_proc_listening_ipv6():
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    sock = socket.socket(socket.AF_INET6)
    try:
        sock.bind(("::1", 0))
    except socket.error:
        pytest.skip("no ::1")
    sock.listen(1)
    try:
        assert ("::1", sock.getsockname()[1]) in detect.proc_listening()
    finally:
        sock.close()


def test_single_port():
    assert detect.single_port([("0.0.0.0", 80), ("::", 80)]) == ("0.0.0.0", 80)
    assert detect.single_port([("127.0.0.1", 80)]) == ("127.0.0.1", 80)
    assert detect.single_port([("127.0.0.1", 80), ("127.0.0.1", 81)]) is None
    assert detect.single_port([]) is None


def test_choose_ip():
    assert detect.choose_ip("10.0.0.9", "127.0.0.1") == "10.0.0.9"
    assert detect.choose_ip(None, "127.0.0.1") == "127.0.0.1"
    assert detect.choose_ip(None, "192.0.2.10") == "192.0.2.10"
    outward = detect.choose_ip(None, "0.0.0.0", ["127.0.0.1:8848"])
    assert outward == detect.outward_ip() and outward  # wildcard: the outward interface
    assert outward not in detect.WILDCARDS


def test_route_ip_sends_nothing_and_handles_no_route():
    assert detect.route_ip("127.0.0.1") == "127.0.0.1"
    assert detect.route_ip("not-an-address") is None


def test_service_name_defaults(tmpdir):
    assert detect.normalise("My_App v2") == "my-app-v2"
    d = tmpdir.mkdir("Billing_Service")
    assert detect.service_name(env={}, cwd=str(d)) == "billing-service"
    assert detect.service_name(env={"DJANGO_SETTINGS_MODULE": "shop.settings"}, cwd=str(d)) == "shop"
    script = d.mkdir("Orders").join("app.py")
    script.write("")
    assert detect.service_name(hint_path=str(script), env={}, cwd=str(d)) == "orders"
    generic = tmpdir.mkdir("app")  # a generic directory name falls through to the working directory
    assert detect.service_name(hint_path=str(generic), env={}, cwd=str(d)) == "billing-service"


def test_workers_deregister_only_when_the_last_one_leaves(tmpdir):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        mine = WorkerSet("ns", "G", "svc", "10.0.0.1", 8000, base=str(tmpdir))
        assert mine.join() == [os.getpid()]
        open(os.path.join(mine.directory, str(other.pid)), "w").close()  # another live worker
        assert mine.leave() is False  # the other still serves the instance
        mine.join()
        other.kill()
        other.wait()
        assert mine.leave() is True  # the other is dead: its file is pruned, this one is the last
        assert not os.path.exists(mine.directory)  # the last one leaves no empty directory behind
    finally:
        if other.poll() is None:
            other.kill()


def test_worker_sets_are_keyed_by_instance(tmpdir):
    a = WorkerSet("ns", "G", "svc", "10.0.0.1", 8000, base=str(tmpdir))
    b = WorkerSet("ns", "G", "svc", "10.0.0.1", 8001, base=str(tmpdir))
    assert a.directory != b.directory
    a.join()
    assert b.join() == [os.getpid()] and b.leave() is True and a.leave() is True


def test_worker_bookkeeping_is_private_and_follows_no_symlinks(tmpdir):
    """The per-user directory is 0700 and checked: one another user could write to, or a symlink planted in
    its place, turns the bookkeeping off (a leaving worker then deregisters) instead of being used."""
    import stat
    from nacos.auto.workers import private_path
    mine = WorkerSet("ns", "G", "svc", "10.0.0.1", 8000, base=str(tmpdir))
    mine.join()
    root = private_path(str(tmpdir))
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(mine.directory, str(os.getpid()))).st_mode) == 0o600
    assert mine.leave() is True and not os.path.exists(mine.directory)
    os.chmod(root, 0o777)  # opened to others
    with pytest.raises(OSError):
        mine.join()
    assert mine.leave() is True
    shutil.rmtree(root)
    elsewhere = tmpdir.mkdir("elsewhere")
    os.chmod(str(elsewhere), 0o700)
    os.symlink(str(elsewhere), root)  # a link planted where the directory goes
    with pytest.raises(OSError):
        mine.join()
    assert os.listdir(str(elsewhere)) == []
