"""Server-side parameter rules, written independently of the client SDK.

Two layers, as in a real Nacos 2.3+ server:

* ``check_filter`` - the ``ParamCheckerFilter`` that runs before every controller
  and answers 400 with a plain line such as
  ``Param 'dataId' is illegal, illegal characters should not appear in the param.``
* controller rules - config ``ParamUtils`` (``check_config_key``), naming
  ``NamingUtils`` (``check_service_name``, ``check_cluster``, weight) and
  ``parse_metadata`` (JSON object or ``k=v,k2=v2``).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re

from . import errors

_WS = " \t\n\x0b\f\r"
_NAMESPACE_RE = re.compile(r"[A-Za-z0-9_-]+\Z")
_DATA_ID_RE = re.compile(r"[a-zA-Z0-9\-_:.]*\Z")
_SERVICE_RE = re.compile("(?!@).((?!@@)[^\u4E00-\u9FA5" + _WS + "])*\\Z")
_CLUSTER_FILTER_RE = re.compile(r"[0-9a-zA-Z\-_]+\Z")
_IP_RE = re.compile("[^\u4E00-\u9FA5" + _WS + "]*\\Z")
_SHOW_NAME_RE = re.compile(r"[^@#$%^&*]+\Z")
_CLUSTER_NAME_RE = re.compile(r"[0-9a-zA-Z-]+\Z")

MAX_METADATA_LENGTH = 1024


def is_blank(value):
    """Java ``StringUtils.isBlank``."""
    return value is None or not value.strip()


def _illegal(name):
    return errors.plain(400, "Param '%s' is illegal, illegal characters should not appear in the param.\r\n"
                        % name)


def _too_long(name, limit):
    return errors.plain(400, "Param '%s' is illegal, the param length should not exceed %d.\r\n"
                        % (name, limit))


def _pattern(value, name, limit, regex):
    if is_blank(value):
        return
    if len(value) > limit:
        raise _too_long(name, limit)
    if not regex.match(value):
        raise _illegal(name)


def check_filter(namespace_show_name=None, namespace_id=None, data_id=None, service_name=None,
                 group=None, clusters=None, cluster=None, ip=None, port=None, metadata=None):
    """Apply the 2.3+ ``ParamCheckerFilter`` rules in the server's order.

    ``service_name`` may be grouped (``g@@s``); it is split and both parts checked.
    ``metadata`` is a dict (already parsed). Raises ``HttpError`` (400, plain text).
    """
    _pattern(namespace_show_name, "namespaceShowName", 256, _SHOW_NAME_RE)
    _pattern(namespace_id, "namespaceId/tenant", 64, _NAMESPACE_RE)
    _pattern(data_id, "dataId", 256, _DATA_ID_RE)
    if service_name and "@@" in service_name:
        grp, service_name = service_name.split("@@", 1)
        if group is None or is_blank(group):
            group = grp
    _pattern(service_name, "serviceName", 512, _SERVICE_RE)
    _pattern(group, "group", 128, _DATA_ID_RE)
    if not is_blank(clusters):
        for one in clusters.split(","):
            _pattern(one, "cluster", 64, _CLUSTER_FILTER_RE)
    _pattern(cluster, "cluster", 64, _CLUSTER_FILTER_RE)
    _pattern(ip, "ip", 128, _IP_RE)
    if not is_blank(port):
        try:
            port_int = int(port)
        except ValueError:
            port_int = -1
        if port_int < 0 or port_int > 65535:
            raise errors.plain(400, "Param 'port' is illegal, the value should be between 0 and 65535.\r\n")
    if metadata:
        total = 0
        for key, value in metadata.items():
            total += len(key or "") + len(value or "")
        if total > MAX_METADATA_LENGTH:
            raise _too_long("Metadata", MAX_METADATA_LENGTH)


# ----------------------------------------------------------------------------- config

def _config_chars_ok(value):
    for ch in value:
        if not (ch.isalnum() or ch in "_-.:"):
            return False
    return True


def check_tenant(tenant):
    """Config ``ParamUtils.checkTenant``: letters/digits and ``_-.:``, at most 128 chars."""
    if is_blank(tenant):
        return
    if not _config_chars_ok(tenant):
        raise errors.caused(400, "invalid tenant")
    if len(tenant) > 128:
        raise errors.caused(400, "too long tenant, over 128")


def check_config_key(data_id, group, content="content", tag=None):
    """Config ``ParamUtils.checkParam``: dataId, group, content (and tag) rules."""
    if is_blank(data_id) or not _config_chars_ok(data_id.strip()):
        raise errors.caused(400, "invalid dataId : %s" % (data_id or ""))
    if is_blank(group) or not _config_chars_ok(group):
        raise errors.caused(400, "invalid group : %s" % (group or ""))
    if is_blank(content):
        raise errors.caused(500, "content is blank : %s" % (content or ""))
    if tag is not None and not is_blank(tag):
        if not _config_chars_ok(tag):
            raise errors.caused(400, "invalid tag : %s" % tag)
        if len(tag) > 16:
            raise errors.caused(400, "too long tag, over 16")


def config_tenant(tenant):
    """2.x ``NamespaceUtil.processNamespaceParameter``: ``public``/blank become ``""``."""
    if tenant is None or is_blank(tenant) or tenant.strip() == "public" or tenant == "null":
        return ""
    return tenant.strip()


# ----------------------------------------------------------------------------- naming

def check_service_name(grouped):
    """2.x ``NamingUtils.checkServiceNameFormat``: must be ``group@@name``, group non-empty."""
    parts = grouped.split("@@")
    while parts and parts[-1] == "":  # Java split drops trailing empty strings
        parts.pop()
    if len(parts) <= 1:
        raise errors.plain(400, "Param 'serviceName' is illegal, it should be format as "
                                "'groupName@@serviceName'")
    if parts[0] == "":
        raise errors.plain(400, "Param 'serviceName' is illegal, groupName can't be empty")


def group_service(service_name, group_name):
    """2.x ``ServiceNameFilter``: prefix ``groupName@@`` unless already grouped."""
    if "@@" in service_name:
        return service_name
    group_name = group_name if not is_blank(group_name) else "DEFAULT_GROUP"
    return "%s@@%s" % (group_name, service_name)


def split_service(grouped):
    """``"g@@s"`` -> ``("g", "s")``."""
    if "@@" in grouped:
        group, name = grouped.split("@@", 1)
        return group, name
    return "DEFAULT_GROUP", grouped


def check_cluster(cluster):
    """``NamingUtils.checkInstanceIsLegal`` cluster rule: ``^[0-9a-zA-Z-]+$``."""
    if cluster and not _CLUSTER_NAME_RE.match(cluster):
        raise errors.naming_caused(500, "Instance 'clusterName' should be characters with only 0-9a-zA-Z-. "
                                        "(current: %s)" % cluster)


def parse_weight(raw):
    """Weight in [0, 10000]; default 1.0."""
    if raw is None or raw == "":
        return 1.0
    try:
        weight = float(raw)
    except ValueError:
        raise errors.plain(400, "For input string: \"%s\"" % raw)
    if weight < 0 or weight > 10000:
        raise errors.naming_caused(500, "instance format invalid: The weights range from 0.0 to 10000.0")
    return weight


def parse_bool(raw, default):
    """Java ``Boolean.parseBoolean`` with a default for absent values."""
    if raw is None or raw == "":
        return default
    return raw.strip().lower() == "true"


def _java_split(text, sep):
    parts = text.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _java_string(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError("not a scalar")
    return "%s" % (value,)


def parse_metadata(raw):
    """2.x ``UtilsAndCommons.parseMetadata``: a JSON object, or ``k=v,k2=v2``.

    Anything else raises 400 ``metadata format incorrect:<raw>``.
    """
    if is_blank(raw):
        return {}
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return dict((k, _java_string(v)) for k, v in data.items())
    except ValueError:
        result = {}
        for item in _java_split(raw, ","):
            kv = _java_split(item, "=")
            if len(kv) != 2:
                raise errors.plain(400, "metadata format incorrect:%s" % raw)
            result[kv[0]] = kv[1]
        return result
