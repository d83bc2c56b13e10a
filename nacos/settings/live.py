"""``LiveSettings``: application settings merged from Nacos configs, kept current by the watcher pool.

* Sources are ``(dataId, group)`` configs read in order; a later source overrides an earlier one key by key
  (as Spring Cloud Alibaba's shared -> extension -> application configs).
* Every source is parsed (:mod:`nacos.settings.parsers`) and flattened to dotted keys (``{"db": {"host": x}}``
  and ``db.host=x`` are both ``"db.host"``); lists are values. A text source is one key: its ``key`` or dataId.
* The merged view is an immutable dict swapped in one assignment, so readers need no lock and never see a
  half-applied change. Change callbacks get a :class:`Change` and run wrapped: a raising callback is logged.
* Reads go through ``get_config``: failover file, then server, then snapshot - an outage at start is served
  from the snapshot. A later change comes from ``add_config_watcher`` (long polling on v1, md5 polling on a
  server without it). Content that does not parse is logged and ignored: the last good values stay.
* ``frozen=True`` reads once and never watches.
"""
from __future__ import absolute_import

import logging
import os
import weakref

from . import parsers
from .. import params as P
from ..compat import NO_AT_FORK, string_types
from ..forksafe import ForkSafeLock
from ..exception import NacosConfigParseError, NacosException, NacosInvalidParam, NacosNotFound

try:
    from collections.abc import Mapping
except ImportError:  # Python 2
    from collections import Mapping

logger = logging.getLogger(__name__)

DEFAULT_GROUP = "DEFAULT_GROUP"


class Source(object):
    """One config of a :class:`LiveSettings`: ``data_id``, ``group``, ``required`` (a missing or invalid
    required source fails :meth:`LiveSettings.start`), ``format`` (used when neither the server's type nor the
    extension tells), ``key`` (the key of a text source; default the dataId)."""

    __slots__ = ("data_id", "group", "required", "format", "key")

    def __init__(self, data_id, group=DEFAULT_GROUP, required=True, format=None, key=None):
        self.data_id = P.data_id(data_id)
        self.group = P.group(group or DEFAULT_GROUP)
        self.required = bool(required)
        self.format = parsers.normalize_format(format)
        self.key = key

    @classmethod
    def of(cls, spec):
        """A Source from a Source, ``"dataId[:group]"``, a ``(dataId, group)`` tuple or a dict with the
        constructor's names (``dataId``/``data_id``)."""
        if isinstance(spec, cls):
            return spec
        if isinstance(spec, dict):
            spec = dict(spec)
            data_id = spec.pop("data_id", None) or spec.pop("dataId", None)
            unknown = set(spec) - set(["group", "required", "format", "key"])
            if unknown:
                raise NacosInvalidParam("sources", "unknown source field(s) %s" % ", ".join(sorted(unknown)), spec)
            return cls(data_id, **spec)
        if isinstance(spec, (tuple, list)):
            return cls(*spec)
        if isinstance(spec, string_types):
            data_id, _sep, group = spec.partition(":")
            return cls(data_id, group or DEFAULT_GROUP)
        raise NacosInvalidParam("sources", "a source is a Source, \"dataId[:group]\", a tuple or a dict, not %r"
                                % (spec,), spec)

    def __repr__(self):
        return "Source(%r, %r, required=%r)" % (self.data_id, self.group, self.required)


class Change(object):
    """What one refresh changed in the merged settings: ``added`` ``{key: new}``, ``removed`` ``{key: old}``,
    ``modified`` ``{key: (old, new)}``; ``source`` is the ``(dataId, group)`` that caused it. False when empty."""

    __slots__ = ("added", "removed", "modified", "source")

    def __init__(self, old, new, source=None):
        self.added = dict((k, v) for k, v in new.items() if k not in old)
        self.removed = dict((k, v) for k, v in old.items() if k not in new)
        self.modified = dict((k, (old[k], v)) for k, v in new.items() if k in old and old[k] != v)
        self.source = source

    @property
    def keys(self):
        """Every key that changed, sorted."""
        return sorted(set(self.added) | set(self.removed) | set(self.modified))

    def __bool__(self):
        return bool(self.added or self.removed or self.modified)

    __nonzero__ = __bool__

    def __repr__(self):
        return "Change(added=%s, removed=%s, modified=%s)" % (sorted(self.added), sorted(self.removed),
                                                              sorted(self.modified))


def flatten(value, prefix="", out=None):
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists and scalars are values. An empty dict is kept as a value."""
    out = {} if out is None else out
    for key, item in value.items():
        name = "%s.%s" % (prefix, key) if prefix else str(key)
        if isinstance(item, dict) and item:
            flatten(item, name, out)
        else:
            out[name] = item
    return out


def nest(flat):
    """The inverse of :func:`flatten` (a key that is both a value and a parent keeps the parent)."""
    root = {}
    for key in sorted(flat):
        node = root
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if not isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = flat[key]
    return root


class LiveSettings(Mapping):
    """Settings merged from Nacos configs. A read-only mapping of dotted keys (``settings["db.host"]``).

    :param client: a :class:`~nacos.NacosClient`.
    :param sources: :class:`Source` specs, lowest precedence first (later ones override).
    :param prefix: keep only keys under ``prefix.`` and strip it (``prefix="app"``: ``app.db.host`` is
        ``db.host``).
    :param frozen: read at :meth:`start` only; never watch.
    :param start: read the sources now (else call :meth:`start`).
    """

    def __init__(self, client, sources, prefix=None, frozen=False, start=True):
        if not sources:
            raise NacosInvalidParam("sources", "at least one source is needed", sources)
        self.client = client
        self.sources = [Source.of(s) for s in sources]
        keys = [(s.data_id, s.group) for s in self.sources]
        if len(set(keys)) != len(keys):
            raise NacosInvalidParam("sources", "a (dataId, group) is listed twice", keys)
        self.prefix = prefix.strip(".") if prefix else None
        self.frozen = bool(frozen)
        self._lock = ForkSafeLock("live settings", reentrant=True)  # a forked worker gets a free one
        self._parsed = [{} for _ in self.sources]   # flat dict per source: its last good content
        self._raw = [None for _ in self.sources]     # content of the last good parse
        self._data = {}
        self._callbacks = []
        self._watching = []
        self.errors = {}   # (dataId, group) -> the last NacosConfigParseError, until the source parses again
        self.version = 0   # +1 per applied change
        self.started = False
        self._pid = os.getpid()
        if start:
            self.start()

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        """Read every source (``get_config``: failover, server, snapshot), merge, then watch them unless
        frozen. A required source that does not exist, cannot be read (no server, no snapshot) or does not
        parse raises; an optional one is logged and counts as empty. Returns self."""
        with self._lock:
            if self.started:
                return self
            contents = []
            for index, source in enumerate(self.sources):
                content = self._initial(source)
                contents.append(content)
                if content is not None:
                    self._apply(index, content, initial=True)
            self._data = self._merge()
            self.started = True
        if not self.frozen:
            for index, source in enumerate(self.sources):
                callback = _SourceWatcher(self, index)
                self.client.add_config_watcher(source.data_id, source.group, callback, content=contents[index])
                self._watching.append((source, callback))
            _live.add(self)
        logger.info("settings from %d source(s) loaded: %d keys%s", len(self.sources), len(self._data),
                    " (frozen)" if self.frozen else "")
        return self

    def _initial(self, source):
        try:
            content = self.client.get_config(source.data_id, source.group)
        except NacosException as exc:
            if source.required:
                raise
            logger.warning("optional settings source %s/%s cannot be read (%s); empty until it can",
                           source.group, source.data_id, exc)
            return None
        if content is None and source.required:
            raise NacosNotFound("required settings source %s (group %s) does not exist"
                                % (source.data_id, source.group))
        return content

    def freeze(self):
        """Stop watching: the values stay as they are. Idempotent."""
        with self._lock:
            watching, self._watching = self._watching, []
            self.frozen = True
        for source, callback in watching:
            try:
                self.client.remove_config_watcher(source.data_id, source.group, callback)
            except NacosException as exc:
                logger.debug("removing the settings watcher of %s/%s: %s", source.group, source.data_id, exc)

    close = freeze

    def after_fork(self):
        """Keep refreshing in a forked child (a gunicorn worker): the client restarts its watcher threads at
        its first use, so make that use now. Called by an at-fork hook on Python 3.7+; 2.7 and 3.6 have none:
        there a read of this object (``get``, ``[]``) or a request of a bound Flask app calls it, and other
        code may call it in a post-fork hook (gunicorn ``post_fork``). Cheap when nothing forked."""
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        if self._watching:
            runtime = getattr(self.client, "_runtime", None)  # nacos.runtime.Runtime: parts restart on first use
            check = getattr(runtime, "check_fork", None) or getattr(self.client, "_check_fork", None)
            if check is not None:
                try:
                    check()
                except Exception:  # noqa: BLE001 - never break the child's start
                    logger.exception("restarting the settings watchers after fork failed")

    # ------------------------------------------------------------------ changes
    def on_change(self, callback):
        """Call ``callback(change)`` (a :class:`Change`) after each refresh that changed a value, on a watcher
        thread. Returns ``callback`` (usable as a decorator)."""
        if not callable(callback):
            raise NacosInvalidParam("callback", "must be callable, not %r" % (callback,), callback)
        with self._lock:
            self._callbacks.append(callback)
        return callback

    def remove_callback(self, callback):
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def _apply(self, index, content, initial=False):
        """Parse ``content`` into source ``index``; on a parse error keep its last good values. Under the lock.
        Returns True when the source's values changed."""
        source = self.sources[index]
        key = (source.data_id, source.group)
        if content is None:
            self._parsed[index], self._raw[index] = {}, None
            return True
        if content == self._raw[index]:
            self.errors.pop(key, None)  # back to the last good content
            return False
        config_type = parsers.detect_format(source.data_id, self._server_type(source), source.format)
        try:
            value = parsers.parse(content, config_type, source.data_id, source.group)
        except NacosConfigParseError as exc:
            self.errors[key] = exc
            if initial and source.required:
                raise
            logger.error("settings source %s/%s not applied, keeping the last good values: %s",
                         source.group, source.data_id, exc)
            return False
        self.errors.pop(key, None)
        if config_type == "text":
            value = {source.key or source.data_id: value}
        self._parsed[index], self._raw[index] = flatten(value), content
        return True

    def _server_type(self, source):
        """The type the server sent with the client's last read of the source (``ConfigAPI.last_type``)."""
        service = getattr(self.client, "config", None)  # client.config: the ConfigService
        api = getattr(service, "_config_api", None) or getattr(self.client, "_config_api", None)
        last_type = getattr(api, "last_type", None)
        return last_type(source.data_id, source.group) if last_type is not None else None

    def _merge(self):
        merged = {}
        for values in self._parsed:
            merged.update(values)
        if self.prefix:
            head = self.prefix + "."
            merged = dict((k[len(head):], v) for k, v in merged.items() if k.startswith(head))
        return merged

    def _changed(self, index, content):
        """A watcher saw new content of source ``index`` (None: deleted)."""
        source = self.sources[index]
        with self._lock:
            if self.frozen:
                return
            if content is None and source.required:
                logger.warning("required settings source %s/%s was deleted; keeping its last values",
                               source.group, source.data_id)
                return
            if not self._apply(index, content):
                return
            old, new = self._data, self._merge()
            change = Change(old, new, (source.data_id, source.group))
            if not change:
                return
            self._data = new
            self.version += 1
            callbacks = list(self._callbacks)
        logger.info("settings changed by %s/%s: %s", source.group, source.data_id, change.keys)
        for callback in callbacks:
            try:
                callback(change)
            except Exception:  # a user callback must not kill the watcher worker
                logger.exception("settings change callback %r failed", callback)

    # ------------------------------------------------------------------ reads
    def __getitem__(self, key):
        if NO_AT_FORK and self._pid != os.getpid():
            self.after_fork()
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    # identity, not content (Mapping's default): a live object is one thing; compare dict(settings) instead
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def get(self, key, default=None):
        if NO_AT_FORK and self._pid != os.getpid():
            self.after_fork()
        return self._data.get(key, default)

    # one merged dict per call, so a refresh in between cannot mix two versions
    def keys(self):
        return self._data.keys()

    def items(self):
        return self._data.items()

    def values(self):
        return self._data.values()

    def snapshot(self):
        """The merged flat dict at this moment (a copy)."""
        return dict(self._data)

    def as_dict(self):
        """The merged settings nested again: ``{"db": {"host": ...}}``."""
        return nest(self._data)

    def section(self, name):
        """Keys under ``name.`` with that part stripped (a flat dict)."""
        head = name.strip(".") + "."
        data = self._data
        return dict((k[len(head):], v) for k, v in data.items() if k.startswith(head))

    def __repr__(self):
        return "<LiveSettings %d keys from %s%s>" % (len(self._data), self.sources,
                                                     " frozen" if self.frozen else "")


class _SourceWatcher(object):
    """The config watcher of one source (a distinct callable per source, so removing it removes only it)."""

    def __init__(self, live, index):
        self.live = live
        self.index = index

    def __call__(self, params):
        self.live._changed(self.index, params.get("content"))


_live = weakref.WeakSet()  # started, watching LiveSettings of this process


def _after_fork_in_child():
    for settings in list(_live):
        settings.after_fork()


if hasattr(os, "register_at_fork"):  # after nacos.client's own hook (imported first), which resets the client
    os.register_at_fork(after_in_child=_after_fork_in_child)
