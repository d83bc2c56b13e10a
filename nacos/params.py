"""Argument validation shared by every call. Each check raises :class:`NacosInvalidParam` (a ValueError)
naming the argument, before any request is sent.

The rules follow the Nacos server: the config controller's (letters, digits and ``_ - . :`` for dataId and
group; Unicode letters are allowed there, although 2.3+ servers' parameter checker refuses them with a 400),
the naming rules (cluster ``[0-9a-zA-Z-]``, weight 0..10000, no ``@@`` in a bare service name) and ports 0..65535.

The legacy helpers ``is_valid``, ``check_params``, ``group_key``, ``parse_key`` and ``PARAM_KEYS`` are kept.
"""
from __future__ import absolute_import

import json
import numbers
import re

from .compat import binary_type, integer_types, string_types, text_type
from .exception import NacosInvalidParam

DEFAULT_GROUP_NAME = "DEFAULT_GROUP"
DEFAULT_CLUSTER_NAME = "DEFAULT"
VALID_CHAR = frozenset(["_", "-", ".", ":"])
PARAM_KEYS = ["data_id", "group"]  # legacy: the keys check_params looks at

MAX_DATA_ID = 256
MAX_GROUP = 128
MAX_NAMESPACE = 128
MAX_SERVICE_NAME = 512
MAX_CLUSTER = 64
MAX_IP = 128
MAX_TAG = 16

_NAMESPACE_RE = re.compile(r"^[A-Za-z0-9_-]*$")
_CLUSTER_RE = re.compile(r"^[0-9a-zA-Z-]+$")
_CJK_RE = re.compile(u"[\u4e00-\u9fa5]")
_SPACE_RE = re.compile(r"\s", re.UNICODE)


# ---------------------------------------------------------------------------------------------- legacy names
def is_valid(param):
    """True when ``param`` holds only letters, digits and ``_ - . :`` (legacy helper)."""
    if not param:
        return False
    for ch in param:
        if not (ch.isalpha() or ch.isdigit() or ch in VALID_CHAR):
            return False
    return True


def check_params(params):
    """Legacy helper: False when a ``data_id`` or ``group`` entry of ``params`` is not :func:`is_valid`."""
    return all(is_valid(params[p]) for p in PARAM_KEYS if p in params)


def group_key(data_id, group, namespace):
    """The legacy cache/file key ``dataId+group+namespace``."""
    return "+".join([data_id, group, namespace or ""])


def parse_key(key):
    """Inverse of :func:`group_key`: ``(data_id, group, namespace)``."""
    parts = key.split("+")
    while len(parts) < 3:
        parts.append("")
    return parts[0], parts[1], parts[2]


# ---------------------------------------------------------------------------------------------- helpers
def _text(argument, value, allow_none=False):
    if value is None:
        if allow_none:
            return None
        raise NacosInvalidParam(argument, "must not be None")
    if isinstance(value, binary_type) and not isinstance(value, text_type):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise NacosInvalidParam(argument, "bytes that are not UTF-8", value)
    if not isinstance(value, string_types):
        raise NacosInvalidParam(argument, "must be a string, not %s" % type(value).__name__, value)
    return value


def _config_name(argument, value, max_len):
    value = _text(argument, value).strip()
    if not value:
        raise NacosInvalidParam(argument, "must not be empty")
    if len(value) > max_len:
        raise NacosInvalidParam(argument, "longer than %d characters" % max_len, value)
    if not is_valid(value):
        raise NacosInvalidParam(
            argument, "%r may contain only letters, digits and _ - . :" % (value,), value)
    if value in (".", ".."):
        # Nacos 1.x/2.x keep configs as files <tenant>/<group>/<dataId>: such a config is accepted
        # (publish answers true) but can never be read back (404 forever).
        raise NacosInvalidParam(argument, "%r cannot be used: Nacos servers store it but never serve it"
                                % (value,), value)
    return value


# ---------------------------------------------------------------------------------------------- config
def data_id(value, argument="data_id"):
    """A config dataId."""
    return _config_name(argument, value, MAX_DATA_ID)


def group(value, argument="group"):
    """A config or naming group; None or blank becomes DEFAULT_GROUP (legacy rule)."""
    if value is None or (isinstance(value, string_types) and not value.strip()):
        return DEFAULT_GROUP_NAME
    return _config_name(argument, value, MAX_GROUP)


def namespace(value, argument="namespace"):
    """A namespace id; None becomes "" (the public namespace)."""
    if value is None:
        return ""
    value = _text(argument, value).strip()
    if len(value) > MAX_NAMESPACE:
        raise NacosInvalidParam(argument, "longer than %d characters" % MAX_NAMESPACE, value)
    if not _NAMESPACE_RE.match(value):
        raise NacosInvalidParam(argument, "%r may contain only A-Z a-z 0-9 _ -" % (value,), value)
    return value


def tag(value, argument="tag"):
    if value is None:
        return None
    return _config_name(argument, value, MAX_TAG)


def content(value, argument="content"):
    """Config content: text or UTF-8 bytes, never None or blank."""
    if value is None:
        raise NacosInvalidParam(argument, "Can not publish none content, use remove instead.")
    value = _text(argument, value)
    if not value.strip():
        raise NacosInvalidParam(argument, "must not be blank (the server refuses blank content)")
    return value


MAX_SECONDS = 86400.0 * 7


def timeout(value, argument="timeout", allow_none=True):
    """A positive, finite number of seconds (at most a week)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= MAX_SECONDS:
        raise NacosInvalidParam(
            argument, "must be a number of seconds > 0 and <= %d, not %r" % (MAX_SECONDS, value), value)
    return float(value)


def positive_int(value, argument):
    if isinstance(value, bool) or not isinstance(value, integer_types) or value < 1:
        raise NacosInvalidParam(argument, "must be a positive integer, not %r" % (value,), value)
    return int(value)


# ---------------------------------------------------------------------------------------------- naming
def service_name(value, argument="service_name"):
    """A bare service name (the group is passed separately)."""
    value = _text(argument, value).strip()
    if not value:
        raise NacosInvalidParam(argument, "must not be empty")
    if "@@" in value:
        raise NacosInvalidParam(
            argument, "%r contains '@@'; pass the group as group_name instead" % (value,), value)
    if value.startswith("@"):
        raise NacosInvalidParam(argument, "must not start with '@'", value)
    if len(value) > MAX_SERVICE_NAME:
        raise NacosInvalidParam(argument, "longer than %d characters" % MAX_SERVICE_NAME, value)
    if _SPACE_RE.search(value) or _CJK_RE.search(value):
        raise NacosInvalidParam(argument, "%r contains whitespace or CJK characters" % (value,), value)
    return value


def cluster_name(value, argument="cluster_name"):
    """A cluster name; None or blank becomes DEFAULT (never the string "None")."""
    if value is None or (isinstance(value, string_types) and not value.strip()):
        return DEFAULT_CLUSTER_NAME
    value = _text(argument, value).strip()
    if len(value) > MAX_CLUSTER or not _CLUSTER_RE.match(value):
        raise NacosInvalidParam(
            argument, "%r must be 1-%d characters of 0-9 a-z A-Z -" % (value, MAX_CLUSTER), value)
    return value


def clusters(value, argument="clusters"):
    """A list or comma-separated string of cluster names; returns the comma-joined string ("" for all)."""
    if value is None:
        return ""
    if isinstance(value, string_types):
        items = [c.strip() for c in value.split(",") if c.strip()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        raise NacosInvalidParam(argument, "must be a string or a list of cluster names", value)
    return ",".join(cluster_name(c, argument) for c in items)


def ip(value, argument="ip"):
    value = _text(argument, value).strip()
    if not value:
        raise NacosInvalidParam(argument, "must not be empty")
    if len(value) > MAX_IP or _SPACE_RE.search(value) or _CJK_RE.search(value):
        raise NacosInvalidParam(argument, "%r is not an address" % (value,), value)
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return value


def port(value, argument="port"):
    """A TCP port 0..65535 (int, or a string of digits)."""
    if isinstance(value, string_types) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, integer_types) or not 0 <= value <= 65535:
        raise NacosInvalidParam(argument, "must be an integer from 0 to 65535, not %r" % (value,), value)
    return int(value)


def weight(value, argument="weight", allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 10000:
        raise NacosInvalidParam(argument, "must be a number from 0 to 10000, not %r" % (value,), value)
    return float(value)


def service_and_group(value, group_name, argument="service_name"):
    """``(service, group)`` from a service name and ``group_name``. A grouped name ``group@@service`` (the
    form the server returns in ``name``, which legacy code passed on) brings its group; a different
    non-default ``group_name`` beside it is an error."""
    text = _text(argument, value).strip()
    if "@@" not in text:
        return service_name(text, argument), group(group_name, "group_name")
    embedded, _, bare = text.partition("@@")
    if not embedded.strip():
        raise NacosInvalidParam(argument, "%r has an empty group before '@@'" % (text,), value)
    embedded = group(embedded, argument)
    if group(group_name, "group_name") not in (DEFAULT_GROUP_NAME, embedded):
        raise NacosInvalidParam(argument, "%r names group %r but group_name is %r" % (text, embedded, group_name),
                                value)
    return service_name(bare, argument), embedded


def _key_value_pairs(text, argument):
    """The server's other metadata form, ``k=v,k2=v2`` (Nacos ``parseMetadata``)."""
    result = {}
    for pair in text.split(","):
        parts = pair.split("=")
        while parts and not parts[-1]:
            parts.pop()  # Java's String.split drops trailing empty strings
        if len(parts) != 2:
            raise NacosInvalidParam(argument, "must be a JSON object or k=v,k2=v2, not %r" % (text,), text)
        result[parts[0]] = parts[1]
    return result


def metadata(value, argument="metadata"):
    """Instance metadata as a dict, a JSON object string or ``"k=v,k2=v2"``; returns a dict of str -> str,
    or None."""
    if value is None:
        return None
    if isinstance(value, string_types):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except ValueError:
            value = _key_value_pairs(value, argument)
    if not isinstance(value, dict):
        raise NacosInvalidParam(argument, "must be a dict or a JSON object string", value)
    result = {}
    for k, v in value.items():
        if not isinstance(k, string_types):
            raise NacosInvalidParam(argument, "keys must be strings, not %r" % (k,), value)
        result[k] = v if isinstance(v, string_types) else json.dumps(v)
    return result


def boolean(value, argument):
    if not isinstance(value, bool):
        raise NacosInvalidParam(argument, "must be True or False, not %r" % (value,), value)
    return value


def wire_bool(value):
    """How the server parses booleans: lower-case ``true``/``false``."""
    return "true" if value else "false"
