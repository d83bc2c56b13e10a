"""Config long polling: the ``Listening-Configs`` parser and the waiter hub.

A held request registers a ``Waiter`` (one ``threading.Event`` each; no busy
loop). ``ConfigStore`` calls ``LongPollHub.notify(key)`` after every change and
the first change of a listened key answers the waiter with only that key.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading

from ._compat import quote_plus_text, unquote_to_bytes
from .params import config_tenant

WORD_SEP = "\x02"
LINE_SEP = "\x01"
MAX_KEYS = 10000


class ProbeError(ValueError):
    """``Listening-Configs`` could not be parsed (answered 400 ``caused: invalid probeModify;``)."""


def java_url_decode(text):
    """Java ``URLDecoder.decode(text, "UTF-8")``: ``+`` is space, bad ``%`` escapes fail."""
    if "%" not in text and "+" not in text:
        return text
    text = text.replace("+", " ")
    i = text.find("%")
    while i != -1:
        chunk = text[i + 1:i + 3]
        if len(chunk) < 2 or any(c not in "0123456789abcdefABCDEF" for c in chunk):
            raise ProbeError("bad escape")
        i = text.find("%", i + 3)
    return unquote_to_bytes(text).decode("utf-8", "replace")


def parse_probe(probe):
    """Parse ``Listening-Configs`` into ``[(dataId, group, md5, tenant_or_None), ...]``.

    Lines are ``dataId^2group^2md5[^2tenant]^1`` - the md5 comes before the tenant.
    The value is URL-decoded once more, as ``ConfigController.listener`` does.
    """
    if probe is None or not probe.strip():
        raise ProbeError("blank")
    probe = java_url_decode(probe)
    result = []
    fields = []
    start = 0
    for i, ch in enumerate(probe):
        if ch == WORD_SEP:
            fields.append(probe[start:i])
            start = i + 1
            if len(fields) > 3:
                raise ProbeError("too many fields")
        elif ch == LINE_SEP:
            end_value = probe[start:i]
            start = i + 1
            if len(fields) == 2:
                result.append((fields[0], fields[1], end_value, None))
            elif len(fields) == 3:
                result.append((fields[0], fields[1], fields[2], end_value))
            else:
                raise ProbeError("too few fields")
            fields = []
            if len(result) > MAX_KEYS:
                raise ProbeError("too many keys")
    return result


def store_key(data_id, group, tenant):
    """The ``ConfigStore`` key for a probe line."""
    return (config_tenant(tenant), group, data_id)


def encode_keys(echo_keys):
    """Encode changed keys as the listener body: URL-encoded lines plus ``\\n``."""
    if not echo_keys:
        return ""
    parts = []
    for data_id, group, tenant in echo_keys:
        if tenant is not None and tenant.strip():
            parts.append(data_id + WORD_SEP + group + WORD_SEP + tenant + LINE_SEP)
        else:
            parts.append(data_id + WORD_SEP + group + LINE_SEP)
    return quote_plus_text("".join(parts), safe="*") + "\n"


class Waiter(object):
    """One held listener request."""

    __slots__ = ("keys", "event", "result", "aborted")

    def __init__(self, keys):
        self.keys = keys            # store key -> (dataId, group, tenant as sent)
        self.event = threading.Event()
        self.result = None          # list of echo keys once answered
        self.aborted = False


class LongPollHub(object):
    """Registry of held listener requests, indexed by store key."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_key = {}
        self._all = set()

    def register(self, waiter):
        """Start delivering changes of ``waiter.keys`` to ``waiter``."""
        with self._lock:
            self._all.add(waiter)
            for key in waiter.keys:
                self._by_key.setdefault(key, set()).add(waiter)

    def unregister(self, waiter):
        """Stop delivering changes to ``waiter``."""
        with self._lock:
            self._all.discard(waiter)
            for key in waiter.keys:
                bucket = self._by_key.get(key)
                if bucket is not None:
                    bucket.discard(waiter)
                    if not bucket:
                        del self._by_key[key]

    def notify(self, key):
        """A config changed: answer every waiter listening to ``key`` with that key."""
        with self._lock:
            waiters = list(self._by_key.get(key, ()))
            for waiter in waiters:
                if waiter.result is None:
                    waiter.result = [waiter.keys[key]]
                    waiter.event.set()

    def abort_all(self):
        """Server stopping: wake every waiter so its connection gets closed unanswered."""
        with self._lock:
            for waiter in self._all:
                waiter.aborted = True
                waiter.event.set()

    def held(self):
        """How many requests are currently held."""
        with self._lock:
            return len(self._all)
