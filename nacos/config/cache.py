"""Per-key bookkeeping of watched configs and the long-poll wire format (pure logic, no I/O).

One :class:`CacheItem` per watched ``(data_id, group)``. Its ``md5`` is the md5 of the content this process
knows (None when the config is absent); the long poll sends it (``""`` for absent) and the server answers
with the keys whose md5 differs. Every callback has a :class:`Watcher` with the md5 it was last called with;
a callback is due when that differs from the item's md5 ("notify when md5 differs from the last notified
md5", as the Java client's ``checkListenerMd5``).
"""
from __future__ import absolute_import

import re

from .api import md5_hex

WORD_SEP = u"\x02"
LINE_SEP = u"\x01"

_PERCENT = re.compile(b"%([0-9a-fA-F]{2})")


class Watcher(object):
    """One registered callback of a key. ``last_md5`` is the md5 it was last called with (None: absent)."""

    __slots__ = ("cb", "last_md5", "active")

    def __init__(self, cb, last_md5):
        self.cb = cb
        self.last_md5 = last_md5
        self.active = True


class CacheItem(object):
    """State of one watched key.

    * ``content``/``md5``: what the watchers see now (server content, or the failover file's while
      ``using_failover``); md5 None means "absent".
    * ``initializing``: True until a long poll that included the key has answered (polls then ask the server
      not to hold: ``Long-Pulling-Timeout-No-Hangup``).
    """

    __slots__ = ("data_id", "group", "namespace", "key", "content", "md5", "initializing", "using_failover",
                 "watchers", "poller")

    def __init__(self, data_id, group, namespace, content=None):
        self.data_id = data_id
        self.group = group
        self.namespace = namespace
        self.key = (data_id, group)
        self.content = content
        self.md5 = md5_hex(content)
        self.initializing = True
        self.using_failover = False
        self.watchers = []
        self.poller = None

    @property
    def ready(self):
        """Is ``content`` known (a poll answered for it, or a failover file serves it)?"""
        return self.using_failover or not self.initializing

    def set_content(self, content):
        """Record new content; True when its md5 differs from the previous one."""
        new_md5 = md5_hex(content)
        changed = new_md5 != self.md5
        self.content = content
        self.md5 = new_md5
        return changed

    def due_watchers(self):
        """The active watchers whose last notified md5 differs from the current one; marks them notified."""
        if not self.ready:
            return []
        due = [w for w in self.watchers if w.active and w.last_md5 != self.md5]
        for w in due:
            w.last_md5 = self.md5
        return due

    def remove_callback(self, cb, remove_all=False):
        """Deactivate and drop the first watcher whose callback equals ``cb`` (all of them with
        ``remove_all``). Returns how many were removed."""
        removed = 0
        kept = []
        for w in self.watchers:
            if w.cb == cb and (remove_all or removed == 0):
                w.active = False
                removed += 1
            else:
                kept.append(w)
        self.watchers = kept
        return removed

    def callback_params(self):
        """The legacy callback argument."""
        return {"data_id": self.data_id, "group": self.group, "namespace": self.namespace,
                "raw_content": self.content, "content": self.content}

    def __repr__(self):
        return "<CacheItem %s+%s+%s md5=%s%s>" % (self.data_id, self.group, self.namespace, self.md5,
                                                  " failover" if self.using_failover else "")


# ------------------------------------------------------------------------------------------ wire format
def probe(items, namespace):
    """The ``Listening-Configs`` value: ``dataId^2group^2md5[^2tenant]^1`` per item (md5 before tenant,
    ``""`` for an absent config)."""
    parts = []
    for item in items:
        fields = [item.data_id, item.group, item.md5 or u""]
        if namespace:
            fields.append(namespace)
        parts.append(WORD_SEP.join(fields) + LINE_SEP)
    return u"".join(parts)


def url_decode(body):
    """Decode a ``URLEncoder.encode`` body (bytes or text) to text: ``+`` is a space, ``%XX`` a byte."""
    if not isinstance(body, bytes):
        body = body.encode("utf-8")
    body = body.replace(b"+", b" ")
    raw = _PERCENT.sub(lambda m: bytes(bytearray([int(m.group(1), 16)])), body)
    return raw.decode("utf-8", "replace")


def parse_changed(body):
    """Keys in a listener answer: strip, URL-decode, split on ``\\x01`` then ``\\x02``. Returns a list of
    ``(data_id, group, tenant_or_None)``; malformed lines are skipped."""
    text = url_decode(body.strip() if body else b"").strip()
    changed = []
    for line in text.split(LINE_SEP):
        if not line:
            continue
        fields = line.split(WORD_SEP)
        if len(fields) < 2 or not fields[0] or not fields[1]:
            continue
        changed.append((fields[0], fields[1], fields[2] if len(fields) > 2 and fields[2] else None))
    return changed
