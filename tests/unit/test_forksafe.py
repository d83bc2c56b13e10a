"""ForkSafeLock: a bounded acquire fails with a clear error; a lock from another process is replaced."""
import threading

import pytest

from nacos.exception import NacosException, NacosLockTimeout
from nacos.forksafe import ForkSafeLock


def test_a_bounded_acquire_raises_instead_of_hanging():
    lock = ForkSafeLock("token manager", timeout=0.2)
    held, release = threading.Event(), threading.Event()

    def holder():
        with lock:
            held.set()
            release.wait(10)
    t = threading.Thread(target=holder)
    t.start()
    try:
        assert held.wait(5)
        with pytest.raises(NacosLockTimeout) as info:
            lock.acquire()
        assert isinstance(info.value, NacosException) and "token manager" in str(info.value)
        assert lock.acquire(False) is False
    finally:
        release.set()
        t.join(5)
    with lock:
        pass


def test_a_lock_made_in_another_process_is_replaced():
    lock = ForkSafeLock("metrics")
    lock.acquire()  # held, as by a parent thread at fork time
    lock._pid = -1  # what a forked child sees: made in another process
    assert lock.acquire(False) is True  # a new lock, not the held one
    lock.release()
