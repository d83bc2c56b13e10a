"""``Runtime``: the one owner of a client's threads, timers, executors, locks and background parts.

Written in the manner of kazoo's handler: the parts of a client (watcher pool, heartbeats, subscriptions, push
receiver, address refresher) ask the runtime for what they need and hold no thread logic of their own.

* :meth:`Runtime.spawn` starts every thread of the client (named ``nacos-...``, daemonic only as a safety net,
  wrapped so an exception is logged and cannot pass unseen); :meth:`Runtime.threads` lists the live ones.
* :meth:`Runtime.call_at` / :meth:`call_later` run timers on ONE scheduler thread (``nacos-scheduler``, started
  with the first timer); a timer function must be quick and hands blocking work to an executor.
* :meth:`Runtime.executor` makes keyed serial executors (workers started on demand, gone after 5 s idle);
  :meth:`Runtime.submit` runs a blocking job on the runtime's own small executor (address refreshes).
* :meth:`Runtime.lock` makes every lock: a :class:`~nacos.forksafe.ForkSafeLock`, new in a forked child.
* Lifecycle, written once: :meth:`part` creates a part on first use; :meth:`stop` stops the parts (newest
  first), the scheduler and the executors and joins every thread within one timeout, and is idempotent; a stopped
  runtime used again comes back to life. :meth:`options_changed` tells every part about new options.
* Fork (redis-py style): a pid check (and the at-fork hook where the platform has one) moves the runtime to a
  new *generation* in the child: the parent's threads, timers and executor workers are forgotten, nothing is
  started, and the parts restart (their ``after_fork``) when the child first uses the client - so a
  ``multiprocessing`` child that never touches the client runs no client thread and sends no beat.
"""
from __future__ import absolute_import

import heapq
import itertools
import logging
import os
import threading
import weakref

from .compat import monotonic
from .executor import SerialExecutor
from .forksafe import ForkSafeLock, reset_after_fork

logger = logging.getLogger(__name__)

RUNTIME_WORKERS = 2  # threads of the runtime's own executor (address refreshes, other blocking timer work)


class Timer(object):
    """A scheduled call; :meth:`cancel` keeps it from running (a no-op once it ran)."""

    __slots__ = ("due", "fn", "args", "cancelled")

    def __init__(self, due, fn, args):
        self.due, self.fn, self.args, self.cancelled = due, fn, args, False

    def cancel(self):
        self.cancelled = True


class Scheduler(object):
    """One thread runs every timer of a runtime: a heap of ``(due, seq, timer)`` on the monotonic clock."""

    def __init__(self, spawn):
        self._spawn = spawn
        self._stopping = False
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._cond = threading.Condition(threading.Lock())
        self._heap = []
        self._seq = itertools.count()
        self._thread = None

    def call_at(self, due, fn, *args):
        timer = Timer(due, fn, args)
        if self._pid != os.getpid():  # inherited across a fork: the parent's thread and timers are not here
            self._reset()
        with self._cond:
            if self._stopping:
                timer.cancelled = True
                return timer
            heapq.heappush(self._heap, (due, next(self._seq), timer))
            if self._thread is None:
                self._thread = self._spawn(self._run, "nacos-scheduler")
            elif self._heap[0][2] is timer:
                self._cond.notify()
        return timer

    def pending(self):
        with self._cond:
            return len([t for _, _, t in self._heap if not t.cancelled])

    @property
    def thread(self):
        return self._thread

    def stop(self):
        """Drop every timer and end the thread (joined by the runtime). Returns the thread or None."""
        with self._cond:
            self._stopping = True
            self._heap = []
            self._cond.notify_all()
            return self._thread

    def _run(self):
        cond = self._cond
        while True:
            with cond:
                while True:
                    if self._stopping:
                        return
                    heap = self._heap
                    now = monotonic()
                    if heap and heap[0][0] <= now:
                        timer = heapq.heappop(heap)[2]
                        if timer.cancelled:
                            continue
                        break
                    cond.wait(heap[0][0] - now if heap else None)
            try:
                timer.fn(*timer.args)
            except Exception:  # noqa: BLE001 - one timer must not end the others
                logger.exception("timer %r failed", timer.fn)


class Runtime(object):
    """Threads, timers, executors, locks and the background parts of one client.

    :param name: shown in logs (the client's repr).
    :param options: the client's :class:`~nacos.options.LiveOptions` (parts read them through the runtime).
    """

    def __init__(self, name="nacos", options=None):
        self.name = name
        self.options = options
        self._lock = ForkSafeLock("client runtime", reentrant=True)
        self._parts = []           # [(name, part)] in creation order
        self._threads = set()
        self._executors = weakref.WeakSet()
        self._pid = os.getpid()
        self.generation = 0        # +1 in every forked child that uses the runtime
        self._restart_pending = False
        self.stopped = False
        self.scheduler = Scheduler(self.spawn)
        self._worker = None
        _register(self)

    # ------------------------------------------------------------------ primitives
    @staticmethod
    def lock(name, reentrant=False, timeout=None):
        """A new lock of the client: never inherited held by a forked child (see :mod:`nacos.forksafe`)."""
        return ForkSafeLock(name, reentrant=reentrant, timeout=timeout)

    @staticmethod
    def event():
        return threading.Event()

    @staticmethod
    def condition():
        return threading.Condition(threading.Lock())

    def spawn(self, target, name, *args):
        """Start ``target(*args)`` on a new daemon thread ``name``; an exception it raises is logged."""
        def run():
            try:
                target(*args)
            except Exception:  # noqa: BLE001 - a bug guard: parts handle their own errors
                logger.exception("%s: thread %s ended by an error", self.name, name)
            finally:
                with self._lock:
                    self._threads.discard(thread)
        thread = threading.Thread(target=run, name=name)
        thread.daemon = True
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return thread

    def threads(self):
        """The live threads this runtime started (in this process)."""
        with self._lock:
            return [t for t in self._threads if t.is_alive()]

    def executor(self, name, max_workers):
        """A keyed serial executor whose workers this runtime starts (on demand) and joins at :meth:`stop`."""
        executor = SerialExecutor(max_workers, name=name, spawn=self.spawn)
        self._executors.add(executor)
        return executor

    def call_at(self, due, fn, *args):
        """Run ``fn(*args)`` on the scheduler thread at monotonic instant ``due``; returns a :class:`Timer`."""
        return self.scheduler.call_at(due, fn, *args)

    def call_later(self, delay, fn, *args):
        return self.call_at(monotonic() + delay, fn, *args)

    def submit(self, key, fn, *args):
        """Run a blocking ``fn(*args)`` on the runtime's own executor (serially per ``key``)."""
        with self._lock:
            if self._worker is None or self._worker.stopped:
                self._worker = self.executor("nacos-worker", RUNTIME_WORKERS)
            worker = self._worker
        return worker.submit(key, fn, *args)

    # ------------------------------------------------------------------ parts
    def part(self, name, factory):
        """The background part ``name``, created by ``factory()`` on first use (restarted in a forked child)."""
        self.check_fork()
        with self._lock:
            for known, part in self._parts:
                if known == name:
                    return part
            self.stopped = False  # a stopped client that is used again comes back to life
            part = factory()
            self._parts.append((name, part))
            return part

    def get(self, name):
        """The part ``name`` if it exists, else None (never creates it)."""
        with self._lock:
            for known, part in self._parts:
                if known == name:
                    return part
        return None

    def options_changed(self, changed):
        """Tell every part (with an ``options_changed`` hook) which options ``set_options`` changed."""
        with self._lock:
            parts = [part for _, part in self._parts]
        for part in parts:
            hook = getattr(part, "options_changed", None)
            if hook is not None:
                hook(changed)

    # ------------------------------------------------------------------ lifecycle
    def stop(self, timeout=1.0):
        """Stop every part (newest first), the scheduler and the executors; join every thread within
        ``timeout`` seconds in all. Idempotent; a part that fails to stop does not stop the others."""
        deadline = monotonic() + timeout
        with self._lock:
            parts, self._parts = self._parts, []
            self.stopped = True
            scheduler, self.scheduler = self.scheduler, Scheduler(self.spawn)
            self._worker = None  # among the executors stopped below
        for name, part in reversed(parts):
            try:
                part.stop(max(deadline - monotonic(), 0.01))
            except Exception:  # noqa: BLE001 - stop the rest anyway
                logger.exception("%s: stopping %s failed", self.name, name)
        scheduler.stop()
        for executor in list(self._executors):
            executor.stop(0)
        me = threading.current_thread()
        for thread in self.threads():
            if thread is not me:
                thread.join(max(deadline - monotonic(), 0.0))
        alive = [t.name for t in self.threads() if t is not me]
        if alive:
            logger.warning("%s: threads still running after stop: %s", self.name, ", ".join(sorted(alive)))

    def check_fork(self):
        """At each use of the client: notice a fork (where no at-fork hook ran), and restart the parts of a
        forked child on its first use."""
        if self._pid != os.getpid():
            self.after_fork()
        if self._restart_pending:
            self._restart_parts()

    def after_fork(self):
        """In a forked child (the at-fork hook, or the first use): a new generation; the parent's threads,
        timers and executor workers do not exist here and are forgotten; nothing starts yet."""
        pid = os.getpid()
        if self._pid == pid:
            return
        self._pid = pid
        self.generation += 1
        self._threads = set()
        self.scheduler = Scheduler(self.spawn)
        self._worker = None
        for executor in list(self._executors):
            executor.forget_workers()
        self._restart_pending = True

    def _restart_parts(self):
        with self._lock:
            if not self._restart_pending:
                return
            self._restart_pending = False
            if self.stopped:  # a stopped client starts nothing in a child either
                return
            parts = list(self._parts)
        for name, part in parts:
            hook = getattr(part, "after_fork", None)
            if hook is None:
                continue
            try:
                hook()
            except Exception:  # noqa: BLE001 - one part must not stop the others
                logger.exception("%s: restarting %s after fork failed", self.name, name)
        for executor in list(self._executors):
            executor.resume()  # what was queued at the fork runs in the child


# ---------------------------------------------------------------------------------------- fork handling
_runtimes = weakref.WeakSet()
_runtimes_lock = threading.Lock()


def _register(runtime):
    with _runtimes_lock:
        _runtimes.add(runtime)


def _after_fork_in_child():
    global _runtimes_lock
    _runtimes_lock = threading.Lock()
    reset_after_fork()
    for runtime in list(_runtimes):
        try:
            runtime.after_fork()
        except Exception:  # noqa: BLE001
            logger.exception("readying a client runtime after fork failed")


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
elif hasattr(os, "fork") and not getattr(os.fork, "nacos_wrapped", False):  # Python 2.7 and 3.6
    _real_fork = os.fork

    def _fork():
        """``os.fork`` that readies every client runtime for the child (what ``os.register_at_fork`` does on
        3.7+): the parts restart when the child first uses the client."""
        pid = _real_fork()
        if pid == 0:
            _after_fork_in_child()
        return pid

    _fork.nacos_wrapped = True
    os.fork = _fork
