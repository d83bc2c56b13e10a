"""Subscriptions: one worker thread polls every subscribed service and applies UDP pushes.

Threads (daemon, shared by every subscription of a client):

* ``nacos-naming-subscriptions`` - the worker. It polls ``/v1/ns/instance/list`` for each subscription when
  due (every ``cacheMillis`` the server answered, or the legacy ``listener_interval``; after failures
  ``min(interval << failCount, 60 s)``), applies pushed lists and keeps the disk cache. All state changes
  happen on this thread.
* ``nacos-naming-callback-N`` - up to two listener threads (a per-service serial executor, started when there is
  something to deliver and gone when idle): one service's listeners see its events in order and never
  concurrently; different services are delivered at once; a slow listener delays no poll and no push.
* ``nacos-naming-push`` - the UDP receiver (:mod:`.push`); it only checks, acks and queues packets.

Every poll passes ``udpPort``/``clientIP`` so a server that pushes to this client sends changes at once; a
server that does not (a real Nacos pushes only to the User-Agents it recognises) is covered by the polls.
The threads start with the first subscription and stop when the last one goes, on ``stop_subscribe()`` and
on ``client.stop()``.
"""
from __future__ import absolute_import

import logging
import socket
import threading

from ..compat import monotonic, queue
from ..exception import NacosHTTPError, NacosRequestException, NacosServerError
from .cache import fingerprint, protected
from .push import PushReceiver
from .shapes import normalize_service_info

logger = logging.getLogger(__name__)

#: errors meaning "no server gave an answer": served from the disk cache when there is one
UNAVAILABLE = (NacosRequestException, NacosServerError)
MAX_FAILS = 6
MAX_DELAY = 60.0
MIN_DELAY = 1.0
DEFAULT_DELAY = 10.0
_STOP = object()
CALLBACK_WORKERS = 2  # listener threads (started when needed, gone when idle)


class Subscription(object):
    """The listeners of one ``(namespace, group, service, clusters)`` and the list last accepted."""

    def __init__(self, key):
        self.key = key
        self.namespace, self.group_name, self.service_name, self.clusters = key
        self.grouped = "%s@@%s" % (self.group_name, self.service_name)
        self.listeners = []
        self.info = None
        self.fail_count = 0
        self.due = 0.0
        self.protecting = False

    def delay(self):
        """Seconds until the next poll: listener interval or cacheMillis, backed off after failures."""
        intervals = [h.interval for h in self.listeners if h.interval]
        if intervals:
            base = min(intervals)
        else:
            try:
                base = float((self.info or {}).get("cacheMillis") or 0) / 1000.0
            except (TypeError, ValueError):
                base = 0
            base = base or DEFAULT_DELAY
        base = min(max(base, MIN_DELAY), MAX_DELAY)
        return min(base * (1 << self.fail_count), MAX_DELAY) if self.fail_count else base


def _clusters_set(clusters):
    return frozenset(c for c in (clusters or "").split(",") if c)


class SubscriptionManager(object):
    """The subscriptions part of a client's naming service.

    :param runtime: the client's :class:`~nacos.runtime.Runtime` (threads, locks, executors, options).
    :param api: the NamingAPI. :param servers: the ServerList. :param disk: the naming DiskCache.
    """

    def __init__(self, runtime, api, servers, disk):
        self.runtime = runtime
        self.api = api
        self.options = runtime.options
        self.servers = servers
        self.disk = disk
        self._subs = {}
        self._init_runtime()

    def _init_runtime(self):
        self._lock = self.runtime.lock("naming subscriptions", reentrant=True)
        self._inbox = queue.Queue()
        self._thread = None
        # listeners run here, never on the worker: one service's in order, different services at once, and a
        # slow listener delays neither polls nor pushes
        self._executor = self._new_executor()
        self._receiver = None
        self._receiver_failed = False
        self._fallback_logged = False
        self._local_ips = {}
        self._trusted_ips = (frozenset(), -1e9)

    # ------------------------------------------------------------------ public
    def add(self, namespace, group_name, service_name, clusters, handle, wait=None):
        """Subscribe ``handle``; waits up to ``wait`` seconds for its first events. Returns the error of the
        first query (None when it answered)."""
        key = (namespace, group_name, service_name, ",".join(sorted(_clusters_set(clusters))))
        with self._lock:
            sub = self._subs.get(key)
            if sub is None:
                sub = self._subs[key] = Subscription(key)
            for other in list(sub.listeners):
                if other.name == handle.name and type(other) is type(handle) and \
                        (not hasattr(handle, "fn") or other.fn == handle.fn):
                    sub.listeners.remove(other)  # legacy: a listener name is unique per service
            sub.listeners.append(handle)
            self._ensure_started()
            inbox, thread = self._inbox, self._thread
        done, box = threading.Event(), {}
        inbox.put(("add", sub, handle, done, box))
        if wait and threading.current_thread() is not thread:
            done.wait(wait)
        return box.get("error")

    def remove(self, service_name, what=None, group_name=None):
        """Remove the listeners of ``service_name`` that match ``what`` (a listener name, a listener object
        or a callable; None for all). A service with no listener left is no longer polled."""
        removed = 0
        with self._lock:
            for key, sub in list(self._subs.items()):
                if sub.service_name != service_name or (group_name and sub.group_name != group_name):
                    continue
                keep = [h for h in sub.listeners if not h.matches(what)]
                removed += len(sub.listeners) - len(keep)
                sub.listeners = keep
                if not keep:
                    del self._subs[key]
            # decided and detached under the lock: a subscribe made meanwhile gets a new worker and executor
            parts = self._detach() if not self._subs else None
        if parts is not None:
            self._join(parts, 1.0)
        return removed

    def clear(self):
        """Remove every subscription and stop the threads (legacy ``stop_subscribe``)."""
        with self._lock:
            self._subs = {}
            parts = self._detach()
        self._join(parts, 1.0)

    def subscriptions(self):
        with self._lock:
            return sorted(self._subs)

    def thread_count(self):
        threads = [self._thread, self._receiver._thread if self._receiver else None] + self._executor.threads()
        return len([t for t in threads if t is not None and t.is_alive()])

    def stop(self, timeout=1.0):
        """Stop the worker and the receiver (joined within ``timeout``); subscriptions are kept."""
        with self._lock:
            parts = self._detach()
        self._join(parts, timeout)

    def _detach(self):
        """Take the worker, the receiver and the callback executor out of use (caller holds the lock): what
        is started after this gets its own, never one that is being stopped."""
        thread, self._thread = self._thread, None
        receiver, self._receiver = self._receiver, None
        executor, self._executor = self._executor, self._new_executor()
        return thread, receiver, self._inbox, executor

    @staticmethod
    def _join(parts, timeout):
        """Stop what :meth:`_detach` took (joined within ``timeout``)."""
        deadline = monotonic() + timeout
        thread, receiver, inbox, executor = parts
        if thread is not None:
            inbox.put(_STOP)
            if thread is not threading.current_thread():
                thread.join(timeout)
        if receiver is not None:
            receiver.stop(max(deadline - monotonic(), 0.01))
        executor.stop(max(deadline - monotonic(), 0.01))

    def after_fork(self):
        """In a forked child: new socket, new threads, every subscription polled again at once."""
        if self._receiver is not None:
            self._receiver.abandon()
        self._init_runtime()
        with self._lock:
            for sub in self._subs.values():
                sub.due = 0.0
            if self._subs:
                self._ensure_started()

    def options_changed(self, changed):
        if changed.get("udp_push") is False:
            with self._lock:
                receiver, self._receiver = self._receiver, None
            if receiver is not None:
                receiver.stop()

    def dump(self):
        """Every accepted list, by cache key (answer to a server ``dump`` packet)."""
        with self._lock:
            return dict((s.grouped + ("@@" + s.clusters if s.clusters else ""), s.info)
                        for s in self._subs.values() if s.info is not None)

    # ------------------------------------------------------------------ the worker
    def _new_executor(self):
        return self.runtime.executor("nacos-naming-callback", CALLBACK_WORKERS)

    def _ensure_started(self):
        if self._executor.stopped:
            self._executor = self._new_executor()
        if self._thread is not None and self._thread.is_alive():
            return
        self._inbox = queue.Queue()
        self._thread = self.runtime.spawn(self._run, "nacos-naming-subscriptions", self._inbox)

    def _run(self, inbox):
        while True:
            wait = self._next_due_in()
            try:
                item = inbox.get(True, wait) if wait is None or wait > 0 else inbox.get_nowait()
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            try:
                if item is not None:
                    self._handle(item)
                self._poll_due()
            except Exception:  # noqa: BLE001 - the worker must survive anything
                logger.exception("naming subscription worker: unexpected error")

    def _next_due_in(self):
        with self._lock:
            dues = [s.due for s in self._subs.values()]
        return max(min(dues) - monotonic(), 0.0) if dues else None

    def _handle(self, item):
        if item[0] == "push":
            self._on_push(item[1])
            return
        _, sub, handle, done, box = item
        try:
            with self._lock:
                live = self._subs.get(sub.key) is sub and handle in sub.listeners
            if not live:
                done.set()
                return
            if sub.info is None:
                box["error"] = self._poll(sub)
                sub.due = monotonic() + sub.delay()
            else:
                self._executor.submit(sub.key, handle.update, sub.info)
        except BaseException:
            done.set()
            raise
        if not self._executor.submit(sub.key, done.set):  # after the first deliveries of this service
            done.set()

    def _poll_due(self):
        now = monotonic()
        with self._lock:
            due = [s for s in self._subs.values() if s.due <= now]
        for sub in due:
            self._poll(sub)
            sub.due = monotonic() + sub.delay()

    def _poll(self, sub):
        """Query one subscription; returns the exception when the server gave no list."""
        port, client_ip = self._push_target()
        try:
            data = self.api.list(sub.service_name, sub.group_name, sub.clusters, False, sub.namespace,
                                 udp_port=port, client_ip=client_ip)
        except Exception as exc:  # noqa: BLE001 - a failing poll never ends a subscription
            self.api.transport.metrics.inc("nacos_naming_polls_total", (("outcome", "failed"),))
            sub.fail_count = min(sub.fail_count + 1, MAX_FAILS)
            log = logger.warning if sub.fail_count == 1 else logger.debug
            log("polling %s failed (%s); retrying in %.0f s", sub.grouped, exc, sub.delay())
            if sub.info is None and isinstance(exc, UNAVAILABLE):
                cached = self.disk.read(sub.namespace, sub.grouped, sub.clusters)
                if cached is not None:
                    self.api.transport.metrics.inc("nacos_naming_disk_cache_reads_total")
                    logger.warning("no server answered for %s; serving its disk cache (%d instances)",
                                   sub.grouped, len(cached.get("hosts") or []))
                    self._apply(sub, normalize_service_info(cached, sub.service_name, sub.group_name,
                                                            sub.clusters), "cache")
            if not isinstance(exc, (NacosHTTPError, NacosRequestException)):
                logger.debug("polling %s failed", sub.grouped, exc_info=True)
            return exc
        self.api.transport.metrics.inc("nacos_naming_polls_total", (("outcome", "ok"),))
        if sub.fail_count:
            logger.debug("polling %s works again", sub.grouped)
        sub.fail_count = 0
        info = normalize_service_info(data, sub.service_name, sub.group_name, sub.clusters)
        changed = self._apply(sub, info, "poll")
        receiver = self._receiver
        if changed and receiver is not None and receiver.received == 0 and not self._fallback_logged:
            self._fallback_logged = True
            logger.info("no UDP push has arrived (the server may not push to this client's User-Agent, or a "
                        "firewall drops them); subscriptions are kept current by polling every %.0f s",
                        sub.delay())
        return None

    def _apply(self, sub, info, source):
        """Accept ``info`` for ``sub`` and tell the listeners; returns True when the list changed."""
        known = sub.info
        if source == "push" and known is not None and \
                _num(info.get("lastRefTime")) < _num(known.get("lastRefTime")):
            logger.debug("ignoring an out-of-date push for %s", sub.grouped)
            return False
        if self.options.get("push_empty_protection", True) and protected(known, info):
            self.api.transport.metrics.inc("nacos_naming_empty_updates_suppressed_total")
            if not sub.protecting:
                sub.protecting = True
                logger.info("keeping the %d known instances of %s: the server sent a list without a usable "
                            "instance (push_empty_protection)", len(known["hosts"]), sub.grouped)
            return False
        if sub.protecting:
            sub.protecting = False
            logger.info("%s has usable instances again", sub.grouped)
        changed = known is None or fingerprint(known) != fingerprint(info)
        sub.info = info
        if source != "cache" and changed:
            self.disk.write(sub.namespace, info)
        if changed:
            with self._lock:
                listeners = list(sub.listeners)
            for handle in listeners:
                self._executor.submit(sub.key, handle.update, info)
        return changed and known is not None

    def _on_push(self, raw):
        name = raw.get("name") or ""
        if "@@" not in name:
            name = "%s@@%s" % (raw.get("groupName") or "DEFAULT_GROUP", name)
        clusters = _clusters_set(raw.get("clusters"))
        with self._lock:
            candidates = [s for s in self._subs.values() if s.grouped == name]
        exact = [s for s in candidates if _clusters_set(s.clusters) == clusters]
        if len(exact) == 1:
            sub = exact[0]
            info = normalize_service_info(raw, sub.service_name, sub.group_name, sub.clusters)
            self._apply(sub, info, "push")
        else:  # unknown clusters or several namespaces share the name: ask the server instead
            for sub in candidates:
                sub.due = 0.0
            if not candidates:
                logger.debug("push for %s, which is not subscribed", name)

    # ------------------------------------------------------------------ push receiver plumbing
    def _push_target(self):
        """``(udpPort, clientIP)`` for list queries, or ``(None, None)`` when pushes are off."""
        if not self.options.get("udp_push", True) or self._receiver_failed:
            return None, None
        server = self.servers.current()
        client_ip = self._local_ip(server.host, server.port)
        if client_ip is None:
            return None, None
        family = socket.AF_INET6 if ":" in client_ip else socket.AF_INET
        receiver = self._receiver
        if receiver is None:
            receiver = PushReceiver(self._queue_push, self._trusted, self.dump, family,
                                    metrics=self.api.transport.metrics, spawn=self.runtime.spawn)
            try:
                receiver.start()
            except (socket.error, OSError) as exc:
                self._receiver_failed = True
                logger.info("cannot open the UDP push receiver (%s); subscriptions fall back to polling", exc)
                return None, None
            self._receiver = receiver
        if receiver.family != family:
            return None, None
        return receiver.port, client_ip

    def _queue_push(self, info):
        self._inbox.put(("push", info))

    def _local_ip(self, host, port):
        """The local address that routes to the server (what the server must send pushes to)."""
        cached = self._local_ips.get(host)
        if cached is not None and monotonic() - cached[1] < 60:
            return cached[0]
        ip = None
        try:
            family = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)[0][0]
            probe = socket.socket(family, socket.SOCK_DGRAM)
            try:
                probe.connect((host, port))  # UDP connect sends nothing
                ip = probe.getsockname()[0]
            finally:
                probe.close()
        except (socket.error, OSError, IndexError) as exc:
            logger.debug("cannot find the local address towards %s: %s", host, exc)
        self._local_ips[host] = (ip, monotonic())
        return ip

    def _trusted(self, source_ip):
        """Whether a datagram from ``source_ip`` may be a push (it comes from a configured server)."""
        if source_ip.startswith("::ffff:"):
            source_ip = source_ip[7:]
        ips, when = self._trusted_ips
        if source_ip in ips:
            return True
        if monotonic() - when < 5.0:
            return False
        resolved = set()
        for server in self.servers.servers:
            try:
                for info in socket.getaddrinfo(server.host, server.port, 0, socket.SOCK_DGRAM):
                    resolved.add(info[4][0])
            except (socket.error, OSError):
                logger.debug("cannot resolve %s", server.host)
        self._trusted_ips = (frozenset(resolved), monotonic())
        return source_ip in resolved


def _num(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
