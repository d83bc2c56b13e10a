"""Periodic jobs (legacy module ``nacos.timer``).

Unlike the legacy ``threading.Timer`` chain, a :class:`NacosTimer` is one daemon thread that waits on an
``Event`` between runs: the process can always exit, ``cancel()`` takes effect at once, and an exception in a
run is reported (``set_on_exception``) without ending the timer unless ``set_ignore_ex(False)`` was asked for
*and* no exception handler is set.
"""
from __future__ import absolute_import

import logging
import threading

logger = logging.getLogger(__name__)


class NacosTimer(object):
    def __init__(self, name, fn, interval=7, *args, **kwargs):
        self._name = name
        self._fn = fn
        self._interval = interval
        self._args = args
        self._kwargs = kwargs
        self._on_result = None
        self._on_exception = None
        self._ignore_ex = True
        self._stop = threading.Event()
        self._thread = None
        self._lock = threading.Lock()

    @property
    def name(self):
        return self._name

    # the legacy read-only views of the settings (set with the set_* methods)
    fn = property(lambda self: self._fn)
    interval = property(lambda self: self._interval)
    ignore_ex = property(lambda self: self._ignore_ex)
    on_result = property(lambda self: self._on_result)
    on_exception = property(lambda self: self._on_exception)

    def alive(self):
        thread = self._thread
        return thread is not None and thread.is_alive()

    def set_name(self, name):
        self._name = name
        return self

    def set_fn(self, fn):
        self._fn = fn
        return self

    def set_interval(self, interval):
        self._interval = interval
        return self

    def set_ignore_ex(self, ignore_ex):
        self._ignore_ex = ignore_ex
        return self

    def set_on_result(self, fn):
        self._on_result = fn
        return self

    def set_on_exception(self, fn):
        self._on_exception = fn
        return self

    def _run_once(self):
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Exception as exc:  # noqa: BLE001 - reported to the handler
            if self._on_exception is not None:
                self._on_exception(exc)
                return True
            logger.exception("timer %s: run failed", self._name)
            return self._ignore_ex
        if self._on_result is not None:
            self._on_result(result)
        return True

    def _loop(self):
        while not self._stop.wait(self._interval):
            try:
                if not self._run_once():
                    return
            except Exception:  # noqa: BLE001 - a handler failed; keep the timer alive
                logger.exception("timer %s: handler failed", self._name)

    def scheduler(self):
        """Run once now (in the caller), then every ``interval`` seconds on a daemon thread."""
        with self._lock:
            if self.alive():
                return self
            self._stop.clear()
            self._run_once()
            self._thread = threading.Thread(target=self._loop, name="nacos-timer-%s" % self._name)
            self._thread.daemon = True
            self._thread.start()
        return self

    def cancel(self):
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(1.0)
        return self


class NacosTimerManager(object):
    def __init__(self):
        self._timers_container = {}
        self._lock = threading.Lock()

    def all_timers(self):
        with self._lock:
            return dict(self._timers_container)

    def add_timer(self, timer):
        with self._lock:
            old = self._timers_container.get(timer.name)
            self._timers_container[timer.name] = timer
        if old is not None and old is not timer:
            old.cancel()
        return self

    def execute(self):
        for timer in list(self.all_timers().values()):
            timer.scheduler()
        return self

    def cancel_timer(self, timer_name=None):
        with self._lock:
            timer = self._timers_container.pop(timer_name, None)
        if timer is not None:
            timer.cancel()
        return self

    def cancel(self):
        with self._lock:
            timers = list(self._timers_container.values())
            self._timers_container.clear()
        for timer in timers:
            timer.cancel()
        return self

    def stop_timer(self, timer_name):
        timer = self.all_timers().get(timer_name)
        if timer is not None:
            timer.cancel()
        return self

    def stop(self):
        for timer in list(self.all_timers().values()):
            timer.cancel()
        return self
