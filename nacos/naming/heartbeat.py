"""Managed heartbeats: the runtime's ONE scheduler thread times every instance; a small sender pool beats.

Each entry's next beat is a timer on the client runtime's scheduler (:meth:`nacos.runtime.Runtime.call_at`);
when due, the timer hands the entry to the senders (``pool_size`` threads, default 2, started by the runtime),
so a thousand instances or a slow server never add threads. Each entry is in at most one place at a time
(a live timer or a sender), so one instance never has two beats in flight. After a beat the entry is due
again after:

* the per-instance ``heartbeat_interval`` given to ``add_naming_instance``, else
* the ``heartbeat_interval`` option, else
* the server's ``clientBeatInterval`` (5 s by default) from the last answer.

Beats are light (no body) when the server said ``lightBeatEnabled``; the first beat and the beat after a
failure carry the full body, which lets a server that lost the instance (wiped, restarted) re-register it.
Code 20404 (unknown instance, light beat) re-registers at once.

A beat is never retried past its interval nor past a removal: it gets one pass over the servers (never the
``retry_window``), ends by its deadline (``min(interval, default_timeout)``, at least ``MIN_BEAT_BUDGET``), and
stops trying once its entry is removed; ``remove`` and ``stop`` wait for a beat in flight up to that deadline,
so no beat can land after the deregistration. Beat traffic logs at DEBUG; the start and
the end of a run of failures log once each, per instance.
"""
from __future__ import absolute_import

import logging
import threading

from ..compat import monotonic, queue
from ..policy import beat_policy

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 5.0
FIRST_BEAT_DELAY = 0.5
MIN_INTERVAL = 0.05
RESOURCE_NOT_FOUND = 20404
MIN_BEAT_BUDGET = 1.0  # seconds a beat may take even when its interval is shorter


class BeatEntry(object):
    """One managed instance: what to register and beat with, and its schedule."""

    def __init__(self, namespace, service_name, group_name, ip, port, cluster_name, weight=1.0, metadata=None,
                 enabled=True, interval=None):
        self.namespace = namespace
        self.service_name = service_name
        self.group_name = group_name
        self.ip = ip
        self.port = port
        self.cluster_name = cluster_name
        self.weight = weight
        self.metadata = metadata
        self.enabled = enabled
        self.interval = interval          # seconds given by the caller, or None
        self.server_interval = DEFAULT_INTERVAL
        self.light = False                # next beat without a body?
        self.seq = 0                      # the heap item that is current
        self.cancelled = False
        self.deadline = 0.0               # when the beat in flight gives up (monotonic)
        self.failing = False              # in a run of failed beats (logged once at its start and end)
        self.idle = threading.Event()     # set while no beat of this entry is in flight
        self.idle.set()

    @property
    def key(self):
        return beat_key(self.namespace, self.group_name, self.service_name, self.ip, self.port)


def beat_key(namespace, group_name, service_name, ip, port):
    return "%s#%s@@%s#%s#%s" % (namespace, group_name, service_name, ip, port)


class HeartbeatScheduler(object):
    """The heartbeat part of a client's naming service.

    :param runtime: the client's :class:`~nacos.runtime.Runtime` (scheduler, threads, locks, options).
    :param api: the NamingAPI.
    """

    def __init__(self, runtime, api, pool_size=2):
        self.runtime = runtime
        self.api = api
        self.options = runtime.options
        self.pool_size = pool_size
        self.beats_sent = 0
        self._entries = {}
        self._init_runtime()

    def _init_runtime(self):
        self._lock = self.runtime.lock("heartbeats")
        self._seq = 0
        self._jobs = queue.Queue()
        self._threads = []
        self._stopping = False

    # ------------------------------------------------------------------ public
    def add(self, entry):
        """Manage ``entry`` (replacing an entry with the same key); its first beat is due shortly."""
        old = None
        with self._lock:
            old = self._entries.get(entry.key)
            if old is not None:
                old.cancelled = True
            self._entries[entry.key] = entry
            self._push(entry, monotonic() + min(FIRST_BEAT_DELAY, self._interval(entry)))
            self._ensure_started()

    def update(self, key, **fields):
        """Change what later beats (and re-registrations) send for ``key``: weight, metadata, enabled."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                for name, value in fields.items():
                    if value is not None:
                        setattr(entry, name, value)
                entry.light = False

    def remove(self, key, wait=None):
        """Stop beating ``key``; waits up to ``wait`` seconds for a beat in flight. Returns the entry."""
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is None:
                return None
            entry.cancelled = True
        if wait is None:
            self._wait_idle([entry])
        else:
            entry.idle.wait(wait)
        return entry

    def _wait_idle(self, entries):
        """Wait until no beat of ``entries`` is in flight: each ends by its deadline (a cancelled entry starts
        no further try), plus one timeout for a re-registration it may be making."""
        for entry in entries:
            entry.idle.wait(max(entry.deadline - monotonic(), self._beat_budget(entry)) + self._timeout())

    def keys(self):
        with self._lock:
            return sorted(self._entries)

    def managed_count(self):
        return len(self._entries)

    def thread_count(self):
        return len([t for t in self._threads if t.is_alive()])

    def stop(self, timeout=1.0):
        """Stop every beat (scheduler and senders joined within ``timeout``); then, when the
        ``deregister_on_stop`` option is set, deregister the managed instances within a bounded time."""
        deadline = monotonic() + timeout
        with self._lock:
            threads, self._threads = self._threads, []
            entries = list(self._entries.values())
            self._entries = {}
            for entry in entries:
                entry.cancelled = True
            self._stopping = True
        for _ in threads:
            self._jobs.put(None)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(max(deadline - monotonic(), 0.01))
        if self.options.get("deregister_on_stop") and entries:
            self._wait_idle(entries)  # a beat still in flight would register the instance again
            self._deregister_all(entries, max(timeout, self._timeout()))

    def after_fork(self):
        """In a forked child: new locks and threads, every entry due again soon."""
        entries = list(self._entries.values())
        self._init_runtime()
        now = monotonic()
        with self._lock:
            for entry in entries:
                entry.idle = threading.Event()
                entry.idle.set()
                entry.light = False
                self._push(entry, now + min(FIRST_BEAT_DELAY, self._interval(entry)))
            if entries:
                self._ensure_started()

    def options_changed(self, changed):
        """A new ``heartbeat_interval`` option applies from the next beat (sooner when it is shorter)."""
        if "heartbeat_interval" not in changed:
            return
        now = monotonic()
        with self._lock:
            for entry in self._entries.values():
                if entry.idle.is_set() and entry.interval is None:
                    self._push(entry, now + min(self._interval(entry), FIRST_BEAT_DELAY))

    # ------------------------------------------------------------------ scheduling
    def _interval(self, entry):
        value = entry.interval or self.options.get("heartbeat_interval") or entry.server_interval
        return max(float(value), MIN_INTERVAL)

    def _beat_budget(self, entry):
        return max(min(self._interval(entry), self._timeout()), MIN_BEAT_BUDGET)

    def _timeout(self):
        return float(self.options.get("default_timeout") or 3)

    def _push(self, entry, due):
        """Schedule ``entry`` at ``due`` (caller holds the lock); its older timers become stale."""
        self._seq += 1
        entry.seq = self._seq
        self.runtime.call_at(due, self._due, entry, self._seq, due)

    def _due(self, entry, seq, due):
        """On the scheduler thread: hand a due entry to the senders (a stale or cancelled timer does nothing)."""
        with self._lock:
            if self._stopping or entry.cancelled or seq != entry.seq:
                return
            entry.idle.clear()
            entry.due = due
            self._jobs.put(entry)

    def _ensure_started(self):
        if self._stopping or (self._threads and all(t.is_alive() for t in self._threads)):
            return
        jobs = self._jobs
        self._threads = [self.runtime.spawn(self._send_loop, "nacos-naming-beat-%d" % i, jobs)
                         for i in range(self.pool_size)]

    def _send_loop(self, jobs):
        while True:
            entry = jobs.get()
            if entry is None:
                return
            try:
                if not entry.cancelled:
                    entry.deadline = monotonic() + self._beat_budget(entry)
                    self._beat(entry)
            except Exception:  # noqa: BLE001 - _beat handles request errors; this is a bug guard
                logger.exception("heartbeat of %s failed unexpectedly", entry.key)
            finally:
                with self._lock:
                    if not entry.cancelled and not self._stopping:
                        self._push(entry, monotonic() + self._interval(entry))
                    entry.idle.set()

    # ------------------------------------------------------------------ one beat
    def _beat(self, entry):
        api = self.api
        metrics = api.transport.metrics
        due = getattr(entry, "due", None)
        if due is not None:
            metrics.observe("nacos_naming_beat_lateness_seconds", max(0.0, monotonic() - due))
        retry, timeout = beat_policy(entry.deadline, lambda: entry.cancelled)
        try:
            answer = api.beat(entry.service_name, entry.group_name, entry.ip, entry.port, entry.cluster_name,
                              entry.weight, entry.metadata, True, light=entry.light,
                              period_ms=int(self._interval(entry) * 1000), retry=retry, timeout=timeout)
            if not isinstance(answer, dict):
                answer = {}
            code = answer.get("code")
            if code == RESOURCE_NOT_FOUND and not entry.cancelled:
                api.register(entry.service_name, entry.group_name, entry.ip, entry.port, entry.cluster_name,
                             entry.weight, entry.metadata, entry.enabled, True, True)
                metrics.inc("nacos_naming_reregistrations_total")
                logger.info("re-registered %s %s:%s: the server did not know it (beat code 20404)",
                            entry.service_name, entry.ip, entry.port)
                entry.light = False
            else:
                entry.light = bool(answer.get("lightBeatEnabled"))
            interval = answer.get("clientBeatInterval")
            if isinstance(interval, (int, float)) and not isinstance(interval, bool) and interval > 0:
                entry.server_interval = interval / 1000.0
        except Exception as exc:  # noqa: BLE001 - keep beating whatever the server did
            if entry.cancelled:
                logger.debug("heartbeat of %s ended by its removal: %s", entry.key, exc)
                return
            metrics.inc("nacos_naming_beats_total", (("outcome", "failed"),))
            entry.light = False  # the next beat carries the body, so a server that lost us re-registers us
            if not entry.failing:
                entry.failing = True
                logger.warning("heartbeats of %s are failing (%s); retrying every beat interval, further "
                               "failures are logged at DEBUG", entry.key, exc)
            else:
                logger.debug("heartbeat of %s failed: %s", entry.key, exc)
            return
        self.beats_sent += 1
        metrics.inc("nacos_naming_beats_total", (("outcome", "ok"),))
        if entry.failing:
            entry.failing = False
            logger.info("heartbeats of %s are succeeding again", entry.key)
        logger.debug("heartbeat of %s: %s", entry.key, answer)

    def _deregister_all(self, entries, budget):
        deadline = monotonic() + budget
        for done, entry in enumerate(entries):
            left = deadline - monotonic()
            if left <= 0:
                logger.warning("deregister_on_stop: out of time, %d instances left registered",
                               len(entries) - done)
                return
            try:
                self.api.deregister(entry.service_name, entry.group_name, entry.ip, entry.port,
                                    entry.cluster_name, True, timeout=min(left, self._timeout()))
            except Exception as exc:  # noqa: BLE001 - best effort
                logger.warning("deregister_on_stop: %s failed: %s", entry.key, exc)
