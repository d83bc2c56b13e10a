"""One long-poll thread (``nacos-config-poller-N``) for a bucket of up to ``pulling_config_size`` keys.

Each cycle, as the Java client's ``LongPollingRunnable``: check the failover files of the bucket, long-poll
``POST /v1/cs/configs/listener`` for the keys not served by a failover file (on a server without the v1 API:
wait ``config_poll_interval`` and read md5s, :mod:`nacos.config.md5poll`), GET the keys the server reports
changed, notify. It re-polls at once after an answer and waits a jittered, growing back-off after an error.

The poll runs on a private :class:`~nacos.transport.Channel`. ``kick()`` (keys added or removed) and
``signal_stop()`` interrupt a held poll through it, so neither waits out the server's hold. An interrupted
channel stays closed; the next request gets a fresh one. All fields are guarded by the pool's lock.
"""
from __future__ import absolute_import

import logging
import random
import threading

from ..exception import NacosException

logger = logging.getLogger(__name__)

BASE_BACKOFF = 1.0       # seconds before the first retry after an error (jittered down to half)
MAX_BACKOFF = 30.0
FAILOVER_ONLY_WAIT = 2.0  # cycle length while every key of the bucket is served by a failover file


class Interrupted(Exception):
    """The poll was cut short by ``kick()`` or ``signal_stop()``; start the next cycle at once."""


class Poller(object):
    def __init__(self, pool, index):
        self.pool = pool
        self.index = index
        self.keys = set()
        self.wake = threading.Event()
        self.stopping = False
        self.dirty = False
        self.channel = None
        self.in_request = False
        self.holding = False       # the request in flight may be held by the server
        self.interrupted = False
        self.failures = 0
        self.md5_cost = 0          # requests the last md5-polling cycle sent (servers without the listener)
        self.request_no = 0
        self.ended = threading.Event()  # set when the request in flight returns
        self.thread = None

    def __repr__(self):
        return "<Poller %d keys=%d>" % (self.index, len(self.keys))

    # ------------------------------------------------------------------ control (pool lock held)
    def start(self):
        self.thread = self.pool.runtime.spawn(self._run, "nacos-config-poller-%d" % self.index)

    def kick(self):
        """The key set changed: re-poll with it, interrupting a poll the server may be holding. Returns the
        number of the interrupted request (for :meth:`confirm_interrupt`) or None."""
        self.dirty = True
        self.wake.set()
        if self.in_request and self.holding:
            self.interrupt()
            return self.request_no
        return None

    def signal_stop(self):
        self.stopping = True
        self.wake.set()
        self.interrupt()

    def interrupt(self):
        channel = self.channel
        if channel is not None:
            self.interrupted = True
            channel.interrupt()

    def begin_request(self, holding):
        """The channel for the next poll; raises :class:`Interrupted` if the keys changed meanwhile."""
        if self.stopping or self.dirty:
            raise Interrupted()
        if self.channel is None or self.channel.closed:
            if self.channel is not None:
                self.channel.close()
            self.channel = self.pool.transport.new_channel()
        self.in_request = True
        self.holding = holding
        self.interrupted = False
        self.request_no += 1
        self.ended.clear()
        return self.channel

    def end_request(self):
        """Back from the poll; True when it was interrupted."""
        self.in_request = False
        self.ended.set()
        return self.interrupted

    def in_flight(self, request_no):
        return self.in_request and self.request_no == request_no

    def close_channel(self):
        channel, self.channel = self.channel, None
        if channel is not None:
            channel.close()

    # ------------------------------------------------------------------ the thread
    def _run(self):
        pool = self.pool
        logger.debug("config poller %d started", self.index)
        while not self.stopping:
            try:
                self._cycle(pool)
            except Interrupted:
                continue
            except Exception as exc:  # noqa: BLE001 - the poller must survive anything
                logger.exception("config poller %d: unexpected error", self.index)
                self._failed(exc)
        with pool.lock:
            self.close_channel()
        logger.debug("config poller %d stopped", self.index)

    def _cycle(self, pool):
        self.wake.clear()
        items = pool.items_of(self)
        if not items:
            self.wake.wait(FAILOVER_ONLY_WAIT)
            return
        pool.check_failover(items)
        polled = [item for item in items if not item.using_failover]
        if not polled:
            self.wake.wait(FAILOVER_ONLY_WAIT)
            return
        try:
            polled, changed, fetched = pool.long_poll(self, polled)
        except NacosException as exc:
            self._failed(exc)
            return
        if self.failures:
            logger.info("config poller %d: the server answers again", self.index)
            self.failures = 0
        error = pool.refresh(polled, changed, fetched)
        if error is not None:
            self._failed(error)

    def _failed(self, exc):
        self.failures += 1
        delay = min(MAX_BACKOFF, BASE_BACKOFF * 2 ** min(self.failures - 1, 8)) * random.uniform(0.5, 1.0)
        log = logger.warning if self.failures == 1 or self.failures % 20 == 0 else logger.debug
        log("config poller %d: %s (failure %d; retrying in %.1fs)", self.index, exc, self.failures, delay)
        self.wake.wait(delay)
