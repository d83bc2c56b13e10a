"""Locks that a forked child never inherits held (redis-py style pid check).

A lock held by another thread when the process forks stays held forever in the child, where that thread does
not exist. :class:`ForkSafeLock` compares the pid with the one it was made in and replaces itself in a new
process before it is used, so the child gets a free lock whether the fork went through the at-fork hooks of
:mod:`nacos.client` or not. A lock created with ``timeout`` (one held across a network call, like the token
manager's) is acquired within that many seconds or raises :class:`~nacos.exception.NacosLockTimeout` naming
it, instead of waiting forever.
"""
from __future__ import absolute_import

import os
import threading
import time

from .compat import PY2, monotonic
from .exception import NacosLockTimeout

_rebuild = threading.Lock()  # replaced in a child by reset_after_fork(); held only to swap a lock


class ForkSafeLock(object):
    """A ``threading.Lock`` (``reentrant``: an ``RLock``) that is new in every process that uses it.

    :param name: shown in the timeout error. :param timeout: bound in seconds of a blocking acquire (None: none).
    """

    def __init__(self, name="lock", reentrant=False, timeout=None):
        self.name = name
        self.timeout = timeout
        self._factory = threading.RLock if reentrant else threading.Lock
        self._lock = self._factory()
        self._pid = os.getpid()

    def _current(self):
        pid = os.getpid()
        if self._pid != pid:  # inherited across a fork: its holder may not exist in this process
            with _rebuild:
                if self._pid != pid:
                    self._lock = self._factory()
                    self._pid = pid
        return self._lock

    def acquire(self, blocking=True):
        lock = self._current()
        if lock.acquire(False):
            return True
        if not blocking:
            return False
        if self.timeout is None:
            return lock.acquire()
        if not _acquire_within(lock, self.timeout):
            raise NacosLockTimeout("could not acquire the %s lock within %.0f s (held by a thread that is stuck, "
                                   "or inherited across a fork)" % (self.name, self.timeout))
        return True

    def release(self):
        self._lock.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()


def _acquire_within(lock, timeout):
    if not PY2:
        return lock.acquire(True, timeout)
    deadline = monotonic() + timeout  # Python 2.7 locks have no timeout: poll
    pause = 0.0005
    while not lock.acquire(False):
        left = deadline - monotonic()
        if left <= 0:
            return False
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.05)
    return True


def reset_after_fork():
    """In a forked child (called by the at-fork hook, the only thread then): a free rebuild guard."""
    global _rebuild
    _rebuild = threading.Lock()
