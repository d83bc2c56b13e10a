"""The naming disk cache and push-empty protection.

Disk cache: the last service list the client saw, one JSON file per service under
``<naming_cache_dir>/<namespace or "public">/<group>@@<service>[@@<clusters>]`` (names made safe by
:mod:`nacos.files`, writes atomic). It is written when a subscription's list changes and after a
``list_naming_instance`` call that returned a different list, and read only when no server answers.
``naming_cache_dir=None`` turns it off.

Empty protection (``push_empty_protection``): an update with no usable host (empty, or no host healthy with
a weight above 0) does not replace a list that had hosts - the Java client's ``namingPushEmptyProtection``.
"""
from __future__ import absolute_import

import hashlib
import json
import logging
import os

from .. import files
from ..forksafe import ForkSafeLock

logger = logging.getLogger(__name__)


def cache_key(grouped_name, clusters):
    """Java's ``ServiceInfo.getKey()``: ``group@@service`` plus ``@@clusters`` when clusters are given."""
    return "%s@@%s" % (grouped_name, clusters) if clusters else grouped_name


def fingerprint(info):
    """A digest of what subscribers see of a ServiceInfo (hosts and clusters, not timestamps)."""
    payload = json.dumps([info.get("clusters", ""), sorted(info.get("hosts") or [], key=_host_key)],
                         sort_keys=True, separators=(",", ":"))
    return hashlib.md5(payload.encode("utf-8")).hexdigest()


def _host_key(host):
    return "%s" % (host.get("instanceId"),)


def has_usable_host(info):
    """Java ``ServiceInfo.validate()``: ``allIPs``, or some host healthy with a weight above 0."""
    if info.get("allIPs"):
        return True
    for host in info.get("hosts") or []:
        try:
            weight = float(host.get("weight", 1.0))
        except (TypeError, ValueError):
            weight = 0.0
        if host.get("healthy") and weight > 0:
            return True
    return False


def protected(known, update):
    """True when empty protection must keep ``known`` instead of applying ``update``."""
    return bool(known is not None and known.get("hosts") and not has_usable_host(update))


def only_healthy(info):
    """A copy of ``info`` with only the healthy hosts (what ``healthyOnly=true`` would have returned)."""
    info = dict(info)
    info["hosts"] = [h for h in info.get("hosts") or [] if h.get("healthy")]
    return info


class DiskCache(object):
    """Service lists on disk, per namespace. ``options`` is the client's live option dict."""

    def __init__(self, options):
        self._options = options
        self._lock = ForkSafeLock("naming disk cache")
        self._written = {}  # (base, namespace, key) -> fingerprint last written

    def _dir(self, namespace):
        base = self._options.get("naming_cache_dir")
        if not base:
            return None, None
        return base, os.path.join(base, files.safe_name(namespace or "public"))

    def write(self, namespace, info):
        """Store ``info`` (a normalised ServiceInfo) unless the same list is already on disk."""
        base, directory = self._dir(namespace)
        if directory is None:
            return
        key = cache_key(info["name"], info.get("clusters") or "")
        digest = fingerprint(info)
        slot = (base, namespace, key)
        with self._lock:
            if self._written.get(slot) == digest:
                return
            self._written[slot] = digest
        try:
            files.save_file(directory, key, json.dumps(info, sort_keys=True))
        except (IOError, OSError, ValueError) as exc:
            with self._lock:
                self._written.pop(slot, None)
            logger.error("cannot write the naming cache %s in %s: %s", key, directory, exc)

    def read(self, namespace, grouped_name, clusters):
        """The cached ServiceInfo dict, or None when there is none (or it is unreadable)."""
        _, directory = self._dir(namespace)
        if directory is None:
            return None
        key = cache_key(grouped_name, clusters)
        raw = files.read_file(directory, key)
        if raw is None:
            return None
        try:
            info = json.loads(raw.decode("utf-8"))
        except ValueError:
            logger.error("naming cache file %s in %s is not JSON; ignoring it", key, directory)
            return None
        if not isinstance(info, dict) or not isinstance(info.get("hosts"), list):
            logger.error("naming cache file %s in %s is not a service list; ignoring it", key, directory)
            return None
        return info

    def path(self, namespace, grouped_name, clusters):
        """Where the cache file of a service lives (None when the cache is off)."""
        _, directory = self._dir(namespace)
        return None if directory is None else files.path_for(directory, cache_key(grouped_name, clusters))
