"""Turning successive service lists into listener calls.

Each listener keeps its own view of the instances it was told about (keyed by ``instanceId``), so a listener
added late gets ADDED for every instance already known, and every listener sees every instance of the very
first update (the legacy client dropped all but one there).

Two listener styles:

* :class:`InstanceListener` - legacy ``SubscribeListener`` style, ``launch(event, instance)`` once per
  changed instance, ``event`` in ADDED / MODIFIED / DELETED, ``instance`` a :class:`SubscribedLocalInstance`;
* :class:`ServiceListener` - a plain callable, ``fn(event)`` once per change of the list, ``event`` the
  service dict (``name``, ``groupName``, ``clusters``, ``hosts``, ...) plus ``added``, ``modified`` and
  ``removed`` host lists.

User code is always called inside ``try/except``: a listener that raises is logged, never stops the worker.
"""
from __future__ import absolute_import

import hashlib
import json
import logging

from ..compat import string_types
from ..listener import Event, SubscribeListener

logger = logging.getLogger(__name__)


def host_md5(host):
    """md5 of a host dict in canonical JSON (the legacy client used ``md5(str(dict))``)."""
    return hashlib.md5(json.dumps(host, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def diff_hosts(view, hosts):
    """Compare ``view`` (instanceId -> (md5, host)) with ``hosts``.

    Returns ``(new_view, added, modified, removed)``; the three lists hold host dicts (``removed`` the last
    known version).
    """
    new_view = {}
    added, modified = [], []
    for host in hosts:
        key = host.get("instanceId")
        digest = host_md5(host)
        new_view[key] = (digest, host)
        old = view.get(key)
        if old is None:
            added.append(host)
        elif old[0] != digest:
            modified.append(host)
    removed = [old[1] for key, old in view.items() if key not in new_view]
    return new_view, added, modified, removed


class SubscribedLocalInstance(object):
    """What a legacy listener receives (same attributes as nacos-sdk-python's class)."""

    def __init__(self, key, instance):
        self.key = key
        self.instance_id = instance.get("instanceId")
        self.md5 = host_md5(instance)
        self.instance = instance

    def __repr__(self):
        return "SubscribedLocalInstance(%r, %r)" % (self.key, self.instance_id)


def _call(what, fn, *args):
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - a listener bug must not stop the worker or other listeners
        logger.exception("naming listener %s raised", what)


class InstanceListener(object):
    """A legacy listener (``.listener_name`` and ``.launch(event, instance)``), or a plain ``fn(event,
    instance)`` wrapped in a SubscribeListener."""

    def __init__(self, listener, service_name, healthy_only=False, interval=None):
        if not hasattr(listener, "launch"):
            name = getattr(listener, "__name__", "listener")
            listener = SubscribeListener(listener, "%s-%x" % (name, id(listener)))
        self.listener = listener
        self.name = listener.listener_name
        self.service_name = service_name
        self.healthy_only = healthy_only
        self.interval = interval
        self.view = {}

    def matches(self, what):
        if what is None:
            return True
        if isinstance(what, string_types) and what == self.name:
            return True
        return what is self.listener or what is getattr(self.listener, "_fn", None)

    def update(self, info):
        hosts = info.get("hosts") or []
        if self.healthy_only:
            hosts = [h for h in hosts if h.get("healthy")]
        self.view, added, modified, removed = diff_hosts(self.view, hosts)
        for event, changed in ((Event.ADDED, added), (Event.MODIFIED, modified), (Event.DELETED, removed)):
            for host in changed:
                _call(self.name, self.listener.launch, event, SubscribedLocalInstance(self.service_name, host))


class ServiceListener(object):
    """A plain callable receiving one event dict per change of the list."""

    healthy_only = False
    interval = None

    def __init__(self, fn):
        self.fn = fn
        self.name = getattr(fn, "__name__", repr(fn))
        self.view = {}

    def matches(self, what):
        return what is None or what is self.fn or what == self.fn

    def update(self, info):
        self.view, added, modified, removed = diff_hosts(self.view, info.get("hosts") or [])
        if not (added or modified or removed):
            return
        event = dict(info)
        event["added"], event["modified"], event["removed"] = added, modified, removed
        _call(self.name, self.fn, event)
