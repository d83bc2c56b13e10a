"""One request to a service: which instance now, and whether a failure may go to the next one.

Every adapter does the same::

    call = discovery.start(url, method, overrides, replayable)
    if call is None: send unchanged
    return call.run(send, <connection-level errors>, before_send)   # ext/_aio.run on an event loop

Retry rule: a failure before the request was sent (connection refused, connect timeout, DNS) goes to the
next instance for every method; a failure after it may have been sent (read timeout, connection reset,
closed without an answer) only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE). Never more
than ``retries`` extra tries, never the same instance twice in one call, and only with a body that can be
sent again. HTTP error statuses are answers, never retried.
"""
from __future__ import absolute_import

import logging

from . import urls

logger = logging.getLogger(__name__)

IDEMPOTENT = frozenset(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"])


class Call(object):
    """Made by :meth:`Discovery.start`; ``instance`` is the host dict of the current try."""

    __slots__ = ("discovery", "service", "parts", "method", "metadata", "strategy", "left", "replayable",
                 "tried", "instance")

    def __init__(self, discovery, service, parts, method, metadata, strategy, retries, replayable):
        self.discovery = discovery
        self.service = service
        self.parts = parts
        self.method = (method or "GET").upper()
        self.metadata = metadata
        self.strategy = strategy
        self.left = retries
        self.replayable = replayable
        self.tried = []
        self.instance = None

    def next_url(self):
        """Choose an instance not tried yet in this call and return the URL for it; raises
        :class:`~.errors.NoInstanceError` when the service has none."""
        host = self.discovery.choose(self.service, self.parts[3], self.metadata, self.strategy, self.tried)
        metrics = self.discovery.metrics
        if host is None:
            if metrics is not None:
                metrics.inc("nacos_discovery_no_instance_total", (("service", self.service.name),))
            raise self.discovery.no_instance(self.service, self.parts[3], self.metadata)
        self.instance = host
        addr = (host["ip"], int(host["port"]))
        if metrics is not None:
            metrics.inc("nacos_discovery_picks_total", (("instance", "%s:%s" % addr), ("service", self.service.name)))
        self.tried.append(addr)
        return urls.join(self.parts, addr[0], addr[1])

    @property
    def address(self):
        return self.tried[-1] if self.tried else None

    def failed(self, exc, maybe_sent):
        """Record a connection-level failure of the current instance (it sits out). True when the request
        should be sent again to another instance."""
        addr = self.address
        self.discovery.mark_down(addr)
        name = self.service.name
        if maybe_sent and self.method not in IDEMPOTENT:
            logger.warning("discovery: %s %s to %s:%s failed after it may have been sent (%s); not retried "
                           "(%s is not idempotent)", self.method, name, addr[0], addr[1], exc, self.method)
            return False
        if self.left <= 0 or not self.replayable:
            logger.warning("discovery: %s %s to %s:%s failed (%s); %s", self.method, name, addr[0], addr[1],
                           exc, "no retry left" if self.replayable else "the body cannot be sent again")
            return False
        if not self.discovery.candidates(self.service, self.parts[3], self.metadata, self.tried):
            logger.warning("discovery: %s %s to %s:%s failed (%s); no other instance to try", self.method, name,
                           addr[0], addr[1], exc)
            return False
        self.left -= 1
        metrics = self.discovery.metrics
        if metrics is not None:
            metrics.inc("nacos_discovery_retries_total", (("service", name),))
        logger.info("discovery: %s %s to %s:%s failed (%s); trying another instance", self.method, name,
                    addr[0], addr[1], exc)
        return True

    def succeeded(self):
        self.discovery.mark_up(self.address)

    def run(self, send, errors, before_send):
        """``send(url)`` to the next instance until it answers or :meth:`failed` says not to try again.
        ``errors``: the connection-level exceptions of the HTTP library; ``before_send(exc)``: True when
        the request surely never left (then any method may go to another instance)."""
        while True:
            try:
                response = send(self.next_url())
            except errors as exc:
                if self.failed(exc, not before_send(exc)):
                    continue
                raise
            self.succeeded()
            return response
