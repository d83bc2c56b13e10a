"""Choosing instances from a host list (pure functions, used by the discovery adapters).

Hosts are the dicts of ``list_naming_instance(...)["hosts"]`` (``ip``, ``port``, ``healthy``, ``enabled``,
``weight``, ``metadata``). Nothing here talks to a server; pass ``rng`` (a ``random.Random``) for repeatable
choices.
"""
from __future__ import absolute_import

import bisect
import random
import threading

from ..compat import string_types

__all__ = ["usable", "healthy", "match_metadata", "random_choice", "weighted_random", "RoundRobin",
           "NoInstanceAvailable"]


class NoInstanceAvailable(LookupError):
    """No host is left to choose from."""


def _weight(host):
    try:
        return float(host.get("weight", 1.0))
    except (TypeError, ValueError):
        return 0.0


def usable(host):
    """True when the host is healthy, enabled and has a weight above 0 (what the Java client selects)."""
    return bool(host.get("healthy", host.get("valid", True))) and bool(host.get("enabled", True)) \
        and _weight(host) > 0


def healthy(hosts):
    """The usable hosts (healthy, enabled, weight > 0), order kept."""
    return [h for h in hosts if usable(h)]


def match_metadata(hosts, required):
    """The hosts whose metadata contains every ``key: value`` of ``required`` (values compared as text;
    a value of None only requires the key)."""
    required = dict(required or {})
    result = []
    for host in hosts:
        metadata = host.get("metadata") or {}
        for key, value in required.items():
            if key not in metadata:
                break
            if value is not None and _text(metadata[key]) != _text(value):
                break
        else:
            result.append(host)
    return result


def _text(value):
    return value if isinstance(value, string_types) else "%s" % (value,)


def random_choice(hosts, rng=None):
    """One host chosen uniformly; raises :class:`NoInstanceAvailable` for an empty list."""
    if not hosts:
        raise NoInstanceAvailable("no instance to choose from")
    return (rng or random).choice(list(hosts))


def weighted_random(hosts, rng=None):
    """One host chosen with probability proportional to its weight (hosts of weight 0 are never chosen);
    raises :class:`NoInstanceAvailable` when no host has a weight above 0."""
    hosts = [h for h in hosts if _weight(h) > 0]
    if not hosts:
        raise NoInstanceAvailable("no instance with a weight above 0")
    cumulative = _accumulate([_weight(h) for h in hosts])
    point = (rng or random).random() * cumulative[-1]
    return hosts[min(bisect.bisect_right(cumulative, point), len(hosts) - 1)]


def _accumulate(values):
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


class RoundRobin(object):
    """Thread-safe round-robin over whatever list is passed to each :meth:`choose` call.

    The position advances once per call, so a list that changes between calls is still walked evenly.
    """

    def __init__(self, start=0):
        self._lock = threading.Lock()
        self._next = start

    def choose(self, hosts):
        hosts = list(hosts)
        if not hosts:
            raise NoInstanceAvailable("no instance to choose from")
        with self._lock:
            index = self._next
            self._next += 1
        return hosts[index % len(hosts)]
