"""``WatcherPool``: the config watchers of one client (a background part of ``client.config``).

* Keys live in :class:`~nacos.config.cache.CacheItem` objects, bucketed ``pulling_config_size`` per
  :class:`~nacos.config.poller.Poller` thread; a bucket that empties stops its thread, a new key fills the
  first bucket with room.
* Callbacks run on a :class:`~nacos.config.executor.SerialExecutor` of up to ``callback_thread_num`` lazily
  started workers: different keys concurrently, one key's callbacks in order, one at a time.
* ``stop()`` interrupts held polls and joins every thread; ``after_fork()`` gives a forked child its own
  threads; ``options_changed()`` re-buckets keys and resizes the callback pool.

Lock order: pool lock, then the executor's lock. No I/O happens under the pool lock.
"""
from __future__ import absolute_import

import logging
import threading

from . import cache, local
from .api import md5_hex
from ..executor import SerialExecutor
from .md5poll import Md5Poll
from .poller import Interrupted, Poller
from ..compat import monotonic
from ..dialect import V3
from ..policy import Timeout
from ..exception import NacosException, NacosGone, NacosRequestException, NacosServerError

logger = logging.getLogger(__name__)

LISTENER = "/v1/cs/configs/listener"
MAX_KEYS_PER_POLL = 10000  # the server answers 400 to a longer Listening-Configs


class WatcherPool(object):
    """:param runtime: the client's :class:`~nacos.runtime.Runtime` (threads, locks, executors, options).
    :param transport: the client's transport. :param config_api: its ConfigAPI (GETs after a change).
    :param namespace: the client namespace."""

    def __init__(self, runtime, transport, config_api, namespace):
        self.runtime = runtime
        self.transport = transport
        self.config_api = config_api
        self.namespace = namespace
        self.options = options = runtime.options
        self.lock = runtime.lock("config watchers", reentrant=True)
        self.items = {}      # (data_id, group) -> CacheItem
        self.pollers = {}    # bucket index -> Poller
        self._retired = []   # pollers told to stop, to join in stop()
        self._stopped = False
        self.executor = runtime.executor("nacos-config-callback", options["callback_thread_num"])
        self.md5poll = Md5Poll(config_api)

    # ------------------------------------------------------------------ watchers
    def add(self, data_id, group, callbacks, content=None):
        """Register ``callbacks`` for a key. Without ``content`` they are called once the current content is
        known (when the config exists); with it, only when the server's content differs from it."""
        key = (data_id, group)
        with self.lock:
            if self._stopped:
                raise NacosException("the client is stopped")
            item = self.items.get(key)
            new = item is None
            if new:
                item = self.items[key] = cache.CacheItem(data_id, group, self.namespace, content)
                self._assign(item)
            baseline = md5_hex(content)
            for cb in callbacks:
                item.watchers.append(cache.Watcher(cb, baseline))
            self._dispatch(item)
            kicked = item.poller.kick() if new else None
        if kicked is not None:
            self._confirm_interrupt(item.poller, kicked)
        logger.debug("watching %s+%s+%s (%d callbacks)", data_id, group, self.namespace, len(callbacks))

    def remove(self, data_id, group, cb, remove_all=False):
        """Remove the first watcher of the key whose callback equals ``cb`` (all with ``remove_all``). A key
        left without callbacks is no longer polled. Returns how many were removed."""
        key = (data_id, group)
        with self.lock:
            item = self.items.get(key)
            if item is None:
                logger.warning("no watcher on %s+%s+%s", data_id, group, self.namespace)
                return 0
            removed = item.remove_callback(cb, remove_all)
            kicked = None
            poller = item.poller
            if not item.watchers:
                del self.items[key]
                poller.keys.discard(key)
                if poller.keys:
                    kicked = poller.kick()
                else:
                    kicked = self._retire(poller)
        if kicked is not None:
            self._confirm_interrupt(poller, kicked)
        return removed

    def _confirm_interrupt(self, poller, request_no, timeout=1.0):
        """Make sure an interrupted poll really ended: a request that was still connecting when its channel
        was interrupted has no socket to shut down yet, so interrupt again until the poller is back (about
        a millisecond normally; the caller is never held longer than ``timeout``)."""
        deadline = monotonic() + timeout
        while not poller.ended.wait(0.01):
            with self.lock:
                if not poller.in_flight(request_no) or monotonic() > deadline:
                    return
                poller.interrupt()

    def watched(self):
        with self.lock:
            return sorted(self.items)

    def inject(self, data_id, group, content, md5):
        """A change handed in through the legacy ``notify_queue``: watchers last called with another md5 are
        called with ``content`` at once, as after a server change. It becomes the key's known content once
        the key's first poll has answered (the next long poll then checks it with the server). Returns False
        when the key has no watcher."""
        with self.lock:
            item = self.items.get((data_id, group))
            if item is None:
                logger.warning("no watcher on %s+%s+%s, ignored", data_id, group, self.namespace)
                return False
            if item.ready:
                item.content, item.md5 = content, md5
            params = dict(item.callback_params(), raw_content=content, content=content)
            for watcher in item.watchers:
                if watcher.active and watcher.last_md5 != md5:
                    watcher.last_md5 = md5
                    self.executor.submit(item.key, _call, watcher, params, self.transport.metrics, monotonic())
            return True

    def watcher_mapping(self):
        """``{"dataId+group+namespace": [(callback, last md5), ...]}`` (legacy ``watcher_mapping``)."""
        with self.lock:
            return dict((local.key(d, g, self.namespace), [(w.cb, w.last_md5) for w in item.watchers])
                        for (d, g), item in self.items.items())

    def threads(self):
        """Live threads of this pool (pollers and callback workers)."""
        with self.lock:
            pollers = [p.thread for p in list(self.pollers.values()) + self._retired if p.thread is not None]
        return [t for t in pollers + self.executor.threads() if t.is_alive()]

    # ------------------------------------------------------------------ buckets (lock held)
    def _assign(self, item):
        size = min(self.options["pulling_config_size"], MAX_KEYS_PER_POLL)
        for index in sorted(self.pollers):
            poller = self.pollers[index]
            if len(poller.keys) < size:
                break
        else:
            poller = self._new_poller()
        poller.keys.add(item.key)
        item.poller = poller

    def _new_poller(self):
        index = 0
        while index in self.pollers:
            index += 1
        poller = self.pollers[index] = Poller(self, index)
        if not self._stopped:
            poller.start()
        return poller

    def _retire(self, poller):
        if self.pollers.get(poller.index) is poller:
            del self.pollers[poller.index]
        poller.signal_stop()
        self._retired = [p for p in self._retired if p.thread is not None and p.thread.is_alive()]
        self._retired.append(poller)
        return poller.request_no if poller.in_request else None

    def _rebalance(self):
        size = min(self.options["pulling_config_size"], MAX_KEYS_PER_POLL)
        keys = sorted(self.items)
        chunks = [keys[i:i + size] for i in range(0, len(keys), size)]
        pollers = [self.pollers[i] for i in sorted(self.pollers)]
        kicked = [(extra, self._retire(extra)) for extra in pollers[len(chunks):]]
        for n, chunk in enumerate(chunks):
            poller = pollers[n] if n < len(pollers) else self._new_poller()
            poller.keys = set(chunk)
            for key in chunk:
                self.items[key].poller = poller
            kicked.append((poller, poller.kick()))
        return kicked

    # ------------------------------------------------------------------ used by the poller threads
    def items_of(self, poller):
        with self.lock:
            poller.dirty = False
            return [self.items[k] for k in poller.keys if k in self.items]

    def check_failover(self, items):
        """The Java client's ``checkLocalConfig``: a failover file that appeared or changed serves its
        content to the watchers; one that disappeared hands the key back to the server (polled without
        hang-up, so the server's content arrives at once)."""
        scan = local.FailoverScan(self.options["failover_base"])
        for item in items:
            content = scan.content(local.key(item.data_id, item.group, self.namespace))
            with self.lock:
                if self.items.get(item.key) is not item:
                    continue
                if content is not None:
                    if not item.using_failover:
                        logger.info("config %s+%s+%s: serving the failover file", item.data_id, item.group,
                                    self.namespace)
                    item.using_failover = True
                    item.set_content(content)
                    self._dispatch(item)
                elif item.using_failover:
                    logger.info("config %s+%s+%s: failover file gone; back to the server", item.data_id,
                                item.group, self.namespace)
                    item.using_failover = False
                    item.initializing = True

    def speaks_v3(self):
        """Does the current server serve config over the v3 API only (no listener)?"""
        transport = self.transport
        return transport.dialects.choose(transport.server_list.current().url, "config") == V3

    def long_poll(self, poller, items):
        """One change check of ``items``: ``POST /v1/cs/configs/listener``, or md5 polling on a server without
        the v1 API. Returns ``(checked items, changed (data_id, group, tenant), {key: content} read already)``."""
        if self.speaks_v3():
            return self.md5_poll(poller, items)
        try:
            return items, self._listen(poller, items), {}
        except NacosGone:
            if not self.speaks_v3():
                raise
            return self.md5_poll(poller, items)

    def md5_poll(self, poller, items):
        """The v3 stand-in for a held poll: wait ``config_poll_interval`` (at once while a key is new), then
        read md5s within the request budget (:mod:`nacos.config.md5poll`)."""
        interval = float(self.options["config_poll_interval"])
        with self.lock:
            rate = float(self.options["config_poll_budget"]) / max(1, len(self.pollers))  # this poller's share
        if not any(item.initializing for item in items):
            poller.wake.wait(max(interval, poller.md5_cost / rate))  # the last cycle's requests, paid off
        with self.lock:
            if poller.stopping or poller.dirty:
                raise Interrupted()
        checked, changed, fetched, poller.md5_cost = self.md5poll.check(
            items, max(1, int(rate * interval)), interval, lambda: poller.stopping or poller.dirty)
        return checked, changed, fetched

    def _listen(self, poller, items):
        """``POST /v1/cs/configs/listener`` for ``items``; returns the changed ``(data_id, group, tenant)``."""
        timeout = float(self.options["pulling_timeout"])
        with self.lock:
            no_hangup = any(item.initializing for item in items)
            form = {"Listening-Configs": cache.probe(items, self.namespace)}
            channel = poller.begin_request(holding=not no_hangup)
        headers = {"Long-Pulling-Timeout": str(int(timeout * 1000))}
        if no_hangup:
            headers["Long-Pulling-Timeout-No-Hangup"] = "true"
        params = {"tenant": self.namespace} if self.namespace else None
        try:
            resp = self.transport.request("POST", LISTENER, params=params, data=form, headers=headers,
                                          channel=channel, timeout=Timeout(read=timeout * 1.5), family="config")
        except NacosException:
            with self.lock:
                if poller.end_request():
                    raise Interrupted()
            raise
        with self.lock:
            poller.end_request()
        return cache.parse_changed(resp.content)

    def refresh(self, polled, changed, fetched=None):
        """After a poll answer: keys not reported are known to equal the server; reported keys are fetched
        (``GET /v1/cs/configs``) unless ``fetched`` has their content already, snapshotted and notified.
        Returns None, or the error to back off after."""
        reported = set((data_id, group) for data_id, group, _ in changed)
        with self.lock:
            for item in polled:
                if item.initializing and item.key not in reported and self.items.get(item.key) is item:
                    item.initializing = False
                    self._dispatch(item)
        error = None
        for key in sorted(reported):
            with self.lock:
                item = self.items.get(key)
            if item is None or item.using_failover:
                continue
            try:
                if fetched and key in fetched:
                    content = fetched[key]
                else:
                    content = self.config_api.get(item.data_id, item.group)
            except (NacosRequestException, NacosServerError) as exc:
                return exc  # the server is unreachable: the next poll reports the rest again
            except NacosException as exc:
                logger.error("cannot read config %s+%s+%s: %s", item.data_id, item.group, self.namespace, exc)
                error = exc
                continue
            with self.lock:
                if self.items.get(key) is item and not item.using_failover:
                    item.initializing = False
                    if item.set_content(content):
                        self.transport.metrics.inc("nacos_config_changes_total")
                        logger.info("config %s+%s+%s changed (md5 %s)", item.data_id, item.group,
                                    self.namespace, item.md5)
                    self._dispatch(item)
            self._snapshot(item, content)
        return error

    def _snapshot(self, item, content):
        file_key = local.key(item.data_id, item.group, self.namespace)
        if content is None:
            local.delete(self.options["snapshot_base"], file_key)
        else:
            local.save(local.snapshot_base(self.options), file_key, content)

    # ------------------------------------------------------------------ callbacks (lock held)
    def _dispatch(self, item):
        for watcher in item.due_watchers():
            self.executor.submit(item.key, _call, watcher, item.callback_params(), self.transport.metrics,
                                 monotonic())

    def in_flight(self):
        """Long polls being sent or held right now."""
        with self.lock:
            return len([p for p in self.pollers.values() if p.in_request])

    # ------------------------------------------------------------------ client part protocol
    def options_changed(self, changed):
        kicked = []
        with self.lock:
            if "pulling_config_size" in changed and not self._stopped:
                kicked = self._rebalance()
            if "callback_thread_num" in changed:
                self.executor.set_max_workers(changed["callback_thread_num"])
        for poller, request_no in kicked:
            if request_no is not None:
                self._confirm_interrupt(poller, request_no)

    def stop(self, timeout=1.0):
        """Interrupt held polls, stop every poller and callback worker and join them within ``timeout``
        seconds. Pending callbacks are dropped. Idempotent."""
        deadline = monotonic() + (timeout or 0)
        with self.lock:
            if self._stopped:
                return
            self._stopped = True
            pollers = list(self.pollers.values()) + self._retired
            self._retired = []
            for poller in pollers:
                poller.signal_stop()
        workers = self.executor.threads()
        self.executor.stop(0)
        me = threading.current_thread()
        for poller in pollers:
            thread = poller.thread
            while thread is not None and thread is not me and thread.is_alive() and monotonic() < deadline:
                thread.join(min(0.05, max(0.0, deadline - monotonic())))
                if thread.is_alive():
                    with self.lock:
                        poller.interrupt()  # a poll that was connecting when first interrupted
        SerialExecutor.join(workers, max(0.0, deadline - monotonic()))
        alive = [t.name for t in self.threads()]
        if alive:
            logger.warning("config watcher threads still running after stop: %s", ", ".join(alive))

    def after_fork(self):
        """In a forked child: new lock and poller threads (the runtime restarts the callback workers); the
        parent's channels are left alone (shutting their sockets down would cut the parent's polls)."""
        self.lock = self.runtime.lock("config watchers", reentrant=True)
        old, self.pollers, self._retired = self.pollers, {}, []
        for index, parent_poller in sorted(old.items()):
            poller = self.pollers[index] = Poller(self, index)
            poller.keys = set(parent_poller.keys)
            for key in poller.keys:
                if key in self.items:
                    self.items[key].poller = poller
            if not self._stopped:
                poller.start()


def _call(watcher, params, metrics, queued_at):
    """Run one callback; its exception is logged and goes no further."""
    if not watcher.active:
        return  # removed after the change was queued
    started = monotonic()
    metrics.observe("nacos_config_notify_delay_seconds", started - queued_at)
    try:
        watcher.cb(params)
        metrics.observe("nacos_config_callback_seconds", monotonic() - started)
    except Exception:  # noqa: BLE001 - a user callback must not kill a worker
        metrics.observe("nacos_config_callback_seconds", monotonic() - started)
        metrics.inc("nacos_config_callback_errors_total")
        logger.exception("config watcher callback %r for %s+%s+%s raised", watcher.cb, params["data_id"],
                         params["group"], params["namespace"])
