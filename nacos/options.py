"""Client options: legacy ``DEFAULTS``/``OPTIONS`` and the validation behind ``set_options``.

Every option can be passed to the constructor as a keyword or later through ``set_options``; unknown names
and invalid values raise :class:`~nacos.exception.NacosInvalidParam` naming the option. Numbers may be given
as strings (``"5"``), as legacy code did; a ``pulling_timeout`` below 10 s is raised to 10 s (what the server
holds a poll at least) with one warning.
"""
from __future__ import absolute_import

import logging
import numbers
import os
import re

from .compat import string_types
from .dialect import MODES
from .exception import NacosInvalidParam

logger = logging.getLogger(__name__)

#: legacy defaults, same keys and values as nacos-sdk-python
DEFAULTS = {
    "APP_NAME": "Nacos-SDK-Python",
    "TIMEOUT": 3,  # in seconds
    "PULLING_TIMEOUT": 30,  # in seconds
    "PULLING_CONFIG_SIZE": 3000,
    "CALLBACK_THREAD_NUM": 10,
    "FAILOVER_BASE": "nacos-data/data",
    "SNAPSHOT_BASE": "nacos-data/snapshot",
}


MAX_SECONDS = 86400 * 7
MIN_PULLING_TIMEOUT = 10  # the server holds a long poll at least this long, whatever the client asks
_NUMBER = re.compile(r"^\s*[0-9]+(\.[0-9]*)?\s*$")
_warned = set()


def _number(value):
    """A number given as a string (``"5"``, ``"2.5"``, as legacy code passed them) as an int or float."""
    if isinstance(value, string_types) and _NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return value


def _warn_once(key, message, *args):
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def _positive_number(name, value):
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= MAX_SECONDS:
        raise NacosInvalidParam(name, "must be a number > 0 and <= %d, not %r" % (MAX_SECONDS, value), value)
    return value


def _pulling_timeout(name, value):
    value = _positive_number(name, value)
    if value < MIN_PULLING_TIMEOUT:
        _warn_once(name, "pulling_timeout %s is below what the server honours; using %d seconds", value,
                   MIN_PULLING_TIMEOUT)
        return MIN_PULLING_TIMEOUT
    return value


def _positive_int(name, value):
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise NacosInvalidParam(name, "must be a positive integer, not %r" % (value,), value)
    return int(value)


def _bool(name, value):
    if not isinstance(value, bool):
        raise NacosInvalidParam(name, "must be True or False, not %r" % (value,), value)
    return value


def _dir_or_none(name, value):
    if value is None:
        return None
    if not isinstance(value, string_types) or not value.strip():
        raise NacosInvalidParam(name, "must be a directory path (or None to disable), not %r" % (value,), value)
    return value


def _proxies(name, value):
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, string_types) and isinstance(v, string_types)
                                              for k, v in value.items()):
        raise NacosInvalidParam(name, "must be a dict like {'http': 'http://proxy:3128'}", value)
    return dict(value)


def _exists(path):
    try:
        return os.path.exists(path)
    except (TypeError, ValueError):  # NUL bytes and the like
        return False


def _tls_verify(name, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, string_types) and _exists(value):
        return value
    raise NacosInvalidParam(name, "must be True, False or the path of an existing CA bundle, not %r" % (value,),
                            value)


def _tls_cert(name, value):
    if value is None:
        return None
    if isinstance(value, string_types):
        paths = [value]
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        paths = list(value)
    else:
        raise NacosInvalidParam(name, "must be a path or a (cert, key) pair", value)
    for path in paths:
        if not isinstance(path, string_types) or not _exists(path):
            raise NacosInvalidParam(name, "file %r does not exist" % (path,), value)
    return value if isinstance(value, string_types) else tuple(value)


def _seconds0(name, value):
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= MAX_SECONDS:
        raise NacosInvalidParam(name, "must be a number of seconds >= 0 and <= %d, not %r" % (MAX_SECONDS, value),
                                value)
    return value


def _user_agent(name, value):
    """None (the default ``Nacos-Python-Client:v<version>``) or a one-line header value."""
    if value is None:
        return None
    if not isinstance(value, string_types) or not value.strip() or "\r" in value or "\n" in value:
        raise NacosInvalidParam(name, "must be None or a non-empty one-line string, not %r" % (value,), value)
    return value.strip()


def _context_path(name, value):
    if not isinstance(value, string_types) or " " in value:
        raise NacosInvalidParam(name, "must be a path such as '/nacos' ('' for none), not %r" % (value,), value)
    return value


def _nonneg_number_or_none(name, value):
    if value is None:
        return None
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= MAX_SECONDS:
        raise NacosInvalidParam(name, "must be a number >= 0 and <= %d, or None, not %r" % (MAX_SECONDS, value),
                                value)
    return value


def _api_version(name, value):
    if value not in MODES:
        raise NacosInvalidParam(name, "must be 'auto', 'v1' or 'v3', not %r" % (value,), value)
    return value


def _recheck(name, value):
    value = _positive_number(name, value)  # numbers given as strings are converted
    if value < 1:
        raise NacosInvalidParam(name, "must be at least 1 second, not %r" % (value,), value)
    return value


def _poll_interval(name, value):
    value = _positive_number(name, value)  # numbers given as strings are converted
    if value < 0.1:
        raise NacosInvalidParam(name, "must be at least 0.1 seconds, not %r" % (value,), value)
    return value


def _naming_poll_interval(name, value):
    value = _positive_number(name, value)  # numbers given as strings are converted
    if value < 1:  # subscriptions never poll more often than once a second (naming.subscribe.MIN_DELAY)
        raise NacosInvalidParam(name, "must be at least 1 second, not %r" % (value,), value)
    return value


#: option name -> (default, validator). The first eight are the legacy ``set_options`` keys.
SPEC = {
    "default_timeout": (DEFAULTS["TIMEOUT"], _positive_number),
    "pulling_timeout": (DEFAULTS["PULLING_TIMEOUT"], _pulling_timeout),
    "pulling_config_size": (DEFAULTS["PULLING_CONFIG_SIZE"], _positive_int),
    "callback_thread_num": (DEFAULTS["CALLBACK_THREAD_NUM"], _positive_int),
    "failover_base": (DEFAULTS["FAILOVER_BASE"], _dir_or_none),
    "snapshot_base": (DEFAULTS["SNAPSHOT_BASE"], _dir_or_none),
    "no_snapshot": (False, _bool),
    "proxies": (None, _proxies),
    # transport
    "context_path": ("/nacos", _context_path),
    "tls_verify": (True, _tls_verify),
    "tls_cert": (None, _tls_cert),
    "address_refresh_interval": (30.0, _positive_number),
    "retry_window": (0, _seconds0),
    # naming
    "naming_cache_dir": ("nacos-data/naming", _dir_or_none),
    "managed_heartbeat": (True, _bool),
    "heartbeat_interval": (None, _nonneg_number_or_none),
    "deregister_on_stop": (False, _bool),
    "push_empty_protection": (True, _bool),
    "udp_push": (True, _bool),
    # how the client names itself (User-Agent): an explicit opt-in only, see docs/naming.md
    "user_agent": (None, _user_agent),
    # observability
    "metrics_enabled": (True, _bool),
    # API dialects (nacos.dialect): Nacos 3.2+ without the legacy adapter serves only the v3 API
    "api_version": ("auto", _api_version),
    "api_recheck_interval": (600.0, _recheck),
    "config_poll_interval": (1.0, _poll_interval),
    "config_poll_budget": (50.0, _positive_number),
    "naming_poll_interval": (2.0, _naming_poll_interval),
}

#: the legacy ``set_options`` keys (``nacos.client.OPTIONS``)
OPTIONS = frozenset(["default_timeout", "pulling_timeout", "pulling_config_size", "callback_thread_num",
                     "failover_base", "snapshot_base", "no_snapshot", "proxies"])


def validate(name, value):
    """Validated value for option ``name``; raises NacosInvalidParam for an unknown name or bad value."""
    spec = SPEC.get(name)
    if spec is None:
        raise NacosInvalidParam(name, "unknown option; known options: %s" % ", ".join(sorted(SPEC)))
    return spec[1](name, value)


def defaults():
    return dict((name, spec[0]) for name, spec in SPEC.items())


class _Mapping(object):
    """Read-only mapping methods over ``self._values()``."""

    __slots__ = ()

    def __getitem__(self, name):
        return self._values()[name]

    def get(self, name, default=None):
        return self._values().get(name, default)

    def __contains__(self, name):
        return name in self._values()


class Options(_Mapping):
    """An immutable snapshot of every option (a read-only mapping). ``set_options`` never changes one: it
    builds the next snapshot with :meth:`replace` and swaps it in :class:`LiveOptions` at once."""

    __slots__ = ("_dict",)

    def __init__(self, values):
        object.__setattr__(self, "_dict", dict(values))

    def _values(self):
        return self._dict

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def keys(self):
        return list(self._dict)

    def items(self):
        return list(self._dict.items())

    def __setattr__(self, name, value):
        raise AttributeError("options are immutable; use set_options()")

    def replace(self, changes):
        """A new snapshot with ``changes`` (already validated) applied."""
        values = dict(self._dict)
        values.update(changes)
        return Options(values)

    def __repr__(self):
        return "Options(%d options)" % len(self._dict)


class LiveOptions(_Mapping):
    """Where the parts of a client read its options: ``live["name"]`` reads the current :class:`Options`
    snapshot, ``live.snapshot`` returns it whole (one consistent set of values); :meth:`update` swaps in the
    next one atomically (a reader sees the old set or the new one, never a mix)."""

    __slots__ = ("snapshot",)

    def __init__(self, values=None):
        self.snapshot = Options(values if values is not None else defaults())

    def _values(self):
        return self.snapshot._dict

    def update(self, changes):
        """Validate ``changes`` (``{name: value}``) and swap in the next snapshot; returns the validated dict.
        Nothing changes when any value is bad."""
        checked = dict((name, validate(name, value)) for name, value in changes.items())
        self.snapshot = self.snapshot.replace(checked)
        return checked
