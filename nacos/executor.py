"""Per-key serial callback executor with lazily started workers.

* Tasks of the same key run in submission order and never two at once; different keys run concurrently on
  up to ``max_workers`` threads (``callback_thread_num``).
* Workers start only when work is queued and no idle worker can take it, and exit after ``idle_timeout``
  seconds without work, so an idle client owns no callback thread at all.
* A task that raises is logged (never its arguments: they hold config content) and the worker carries on.
* ``stop()`` drops the pending tasks, wakes every worker (the stopping flag is the sentinel) and joins them;
  a task already running is not interrupted (the threads are daemonic as a safety net only).
"""
from __future__ import absolute_import

import collections
import itertools
import logging
import threading

from .compat import monotonic

logger = logging.getLogger(__name__)

IDLE_TIMEOUT = 5.0


class SerialExecutor(object):
    """Runs ``fn(*args)`` tasks grouped by key. ``name`` prefixes the worker thread names."""

    def __init__(self, max_workers, name="nacos-config-callback", idle_timeout=IDLE_TIMEOUT, spawn=None):
        self.max_workers = max(1, int(max_workers))
        self.name = name
        self.idle_timeout = idle_timeout
        self._spawn = spawn or spawn_thread
        self._counter = itertools.count(1)
        self._reset()

    def _reset(self):
        self._cond = threading.Condition(threading.Lock())
        self._queues = {}                    # key -> deque of (fn, args); present while it has tasks
        self._ready = collections.deque()    # keys with tasks and no worker on them
        self._running = set()                # keys a worker is running now
        self._workers = set()
        self._idle = 0
        self._stopping = False

    # ------------------------------------------------------------------ API
    def submit(self, key, fn, *args):
        """Queue ``fn(*args)`` behind the other tasks of ``key``. False when the executor is stopped."""
        with self._cond:
            if self._stopping:
                return False
            queue = self._queues.get(key)
            if queue is None:
                queue = self._queues[key] = collections.deque()
            queue.append((fn, args))
            if len(queue) == 1 and key not in self._running:
                self._ready.append(key)
                self._dispatch()
        return True

    def set_max_workers(self, n):
        with self._cond:
            self.max_workers = max(1, int(n))
            self._dispatch()

    def pending(self):
        """How many tasks wait (not counting running ones)."""
        with self._cond:
            return sum(len(q) for q in self._queues.values())

    def threads(self):
        with self._cond:
            return list(self._workers)

    @property
    def stopped(self):
        return self._stopping

    def stop(self, timeout=1.0):
        """Drop pending tasks, end the workers and join them within ``timeout``. Idempotent."""
        with self._cond:
            dropped = sum(len(q) for q in self._queues.values())
            self._stopping = True
            self._queues.clear()
            self._ready.clear()
            workers = list(self._workers)
            self._cond.notify_all()
        if dropped:
            logger.debug("callback executor stopping: %d pending callbacks dropped", dropped)
        self.join(workers, timeout)

    @staticmethod
    def join(workers, timeout):
        deadline = monotonic() + (timeout or 0)
        me = threading.current_thread()
        for worker in workers:
            if worker is not me:
                worker.join(max(0.0, deadline - monotonic()))

    def forget_workers(self):
        """In a forked child: the parent's workers do not exist here. Keep the queued tasks, forget the ones
        that were running; start nothing until :meth:`resume` (or the next :meth:`submit`)."""
        queues, stopping = self._queues, self._stopping
        self._reset()
        self._stopping = stopping
        for key, queue in queues.items():
            if queue:
                self._queues[key] = queue
                self._ready.append(key)

    def resume(self):
        """Start workers for the tasks queued (after :meth:`forget_workers`)."""
        with self._cond:
            if self._ready and not self._stopping:
                self._dispatch()

    # ------------------------------------------------------------------ workers
    def _dispatch(self):
        """Called with the lock held: wake an idle worker, or start one if none can take the ready work."""
        if len(self._ready) > self._idle and len(self._workers) < self.max_workers:
            self._workers.add(self._spawn(self._work, "%s-%d" % (self.name, next(self._counter))))
        else:
            self._cond.notify()

    def _work(self):
        me = threading.current_thread()
        while True:
            with self._cond:
                deadline = monotonic() + self.idle_timeout
                while not self._ready and not self._stopping:
                    left = deadline - monotonic()
                    if left <= 0 or len(self._workers) > self.max_workers:
                        self._workers.discard(me)
                        return
                    self._idle += 1
                    try:
                        self._cond.wait(left)
                    finally:
                        self._idle -= 1
                if self._stopping:
                    self._workers.discard(me)
                    return
                key = self._ready.popleft()
                fn, args = self._queues[key].popleft()
                self._running.add(key)
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - a failing task must not end the worker
                logger.exception("callback task for %s failed", key)
            with self._cond:
                self._running.discard(key)
                queue = self._queues.get(key)
                if queue:
                    self._ready.append(key)
                elif queue is not None:
                    del self._queues[key]


def spawn_thread(target, name, *args):
    """A started daemon thread running ``target(*args)`` (parts made outside a runtime: tests, tools)."""
    thread = threading.Thread(target=target, name=name, args=args)
    thread.daemon = True
    thread.start()
    return thread
