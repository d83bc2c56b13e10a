"""Fault injection rules: fail the next N requests, drop the next N, delay answers.

Each rule may be scoped with ``path`` (a substring of the request path, e.g.
``"/cs/configs/listener"``) and ``method`` (``"GET"``...); ``None`` matches any.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading

from .errors import Response, TEXT_PLAIN


class _Rule(object):
    __slots__ = ("remaining", "path", "method", "status", "body", "seconds")

    def __init__(self, remaining, path, method, status=None, body=None, seconds=None):
        self.remaining = remaining
        self.path = path
        self.method = method.upper() if method else None
        self.status, self.body, self.seconds = status, body, seconds

    def matches(self, path, method):
        return (self.path is None or self.path in path) and (self.method is None or self.method == method)


class Faults(object):
    """Thread-safe fault rules consulted once per request."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fail = []
        self._drop = []
        self._delay = []

    def fail_next(self, n, status=500, body="caused: injected failure;", path=None, method=None):
        """Answer the next ``n`` matching requests with ``status``/``body``."""
        with self._lock:
            self._fail.append(_Rule(int(n), path, method, status=status, body=body))

    def drop_next(self, n, path=None, method=None):
        """Read the next ``n`` matching requests, then close the connection unanswered."""
        with self._lock:
            self._drop.append(_Rule(int(n), path, method))

    def delay(self, seconds, path=None, method=None):
        """Delay matching answers by ``seconds`` until cleared; ``delay(0)`` clears that scope
        (``delay(0)`` with no scope clears every delay)."""
        with self._lock:
            if not seconds and path is None and method is None:
                self._delay = []
                return
            upper = method.upper() if method else None
            self._delay = [r for r in self._delay if (r.path, r.method) != (path, upper)]
            if seconds and seconds > 0:
                self._delay.append(_Rule(-1, path, method, seconds=float(seconds)))

    def clear(self):
        """Remove every rule."""
        with self._lock:
            self._fail, self._drop, self._delay = [], [], []

    def _take(self, rules, path, method):
        for rule in rules:
            if rule.remaining > 0 and rule.matches(path, method):
                rule.remaining -= 1
                if rule.remaining == 0:
                    rules.remove(rule)
                return rule
        return None

    def decide(self, path, method):
        """Return ``(delay_seconds, drop, fail_response_or_None)`` for one request."""
        if not (self._fail or self._drop or self._delay):
            return 0.0, False, None
        with self._lock:
            seconds = 0.0
            for rule in self._delay:
                if rule.matches(path, method):
                    seconds = max(seconds, rule.seconds)
            if self._take(self._drop, path, method) is not None:
                return seconds, True, None
            rule = self._take(self._fail, path, method)
            if rule is not None:
                return seconds, False, Response(rule.status, rule.body, TEXT_PLAIN)
            return seconds, False, None
