"""Every auto-registration setting in one table: its dotted key (section.key, also its yaml path), default,
environment variable, command-line flag, help text, and the converter that turns a raw value (text from the
command line or the environment, or a yaml value) into the checked value.

The launcher's argparse options, the environment lookup, the yaml reader and docs/auto-registration.md all
follow this table; add a setting here and every source knows it.
"""
from __future__ import absolute_import

import json
import os
import socket

from .. import params as P
from ..compat import integer_types, string_types
from ..exception import NacosInvalidParam
from ..servers import parse_addresses

SECTIONS = ("nacos", "service", "registration", "heartbeat", "shutdown", "logging", "discovery", "config")
STRATEGIES = ("round_robin", "random", "weighted_random")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = ("1", "true", "yes", "on", "y", "t")
_FALSE = ("0", "false", "no", "off", "n", "f")


class Invalid(ValueError):
    """A raw value is invalid; the loader adds the key and the source to the message."""


def _text(value):
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, string_types):
        raise Invalid("must be a string, not %r" % (value,))
    return value.strip()


def _auto(value):
    return value is None or (isinstance(value, string_types) and value.strip().lower() in ("", "auto"))


def to_bool(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("must be true or false, not %r" % (value,))


def _number(value, what):
    if isinstance(value, bool):
        raise Invalid("must be %s, not %r" % (what, value))
    if isinstance(value, string_types):
        try:
            value = float(value.strip()) if "." in value or "e" in value.lower() else int(value.strip())
        except ValueError:
            raise Invalid("must be %s, not %r" % (what, value))
    if not isinstance(value, integer_types + (float,)):
        raise Invalid("must be %s, not %r" % (what, value))
    return value


def to_seconds(value):
    value = _number(value, "a positive number of seconds")
    if not value > 0:
        raise Invalid("must be a positive number of seconds, not %r" % (value,))
    return float(value)


def to_seconds0(value):
    value = _number(value, "a number of seconds >= 0")
    if value < 0:
        raise Invalid("must be a number of seconds >= 0, not %r" % (value,))
    return float(value)


def to_count(value):
    value = _number(value, "an integer >= 0")
    if not isinstance(value, integer_types) or value < 0:
        raise Invalid("must be an integer >= 0, not %r" % (value,))
    return int(value)


def _checked(check, value):
    try:
        return check(value)
    except NacosInvalidParam as exc:
        raise Invalid(str(exc).split(": ", 1)[-1])


def to_port(value):
    if _auto(value):
        return None
    number = _number(value, "a port 1-65535 or 'auto'")
    if not isinstance(number, integer_types) or not 1 <= number <= 65535:
        raise Invalid("must be a port 1-65535 or 'auto', not %r" % (value,))
    return int(number)


def to_ip(value):
    """An IPv4 or IPv6 address (not a host name: it is what callers connect to), or None for auto."""
    if _auto(value):
        return None
    text = _checked(P.ip, _text(value))
    families = [socket.AF_INET] + ([socket.AF_INET6] if ":" in text else [])
    for family in families:
        try:
            socket.inet_pton(family, text) if hasattr(socket, "inet_pton") else socket.inet_aton(text)
        except (socket.error, ValueError):
            continue
        if family == socket.AF_INET6 or text.count(".") == 3:  # inet_aton also takes "10.1"
            return text
    raise Invalid("must be an IPv4 or IPv6 address, not %r" % (value,))


def to_service_name(value):
    return None if _auto(value) else _checked(P.service_name, _text(value))


def to_group(value):
    return _checked(P.group, _text(value))


def to_cluster(value):
    return _checked(P.cluster_name, _text(value))


def to_clusters(value):
    if value is None or value == "":
        return []
    text = _checked(P.clusters, value if isinstance(value, list) else _text(value))
    return [c for c in text.split(",") if c]


def to_namespace(value):
    return _checked(P.namespace, "" if value is None else _text(value))


def to_weight(value):
    return _checked(P.weight, _number(value, "a number from 0 to 10000"))


def to_text(value):
    return None if value is None or value == "" else _text(value)


def to_servers(value):
    items = value if isinstance(value, list) else [value]
    parts = []
    for item in items:
        parts.extend(p.strip() for p in _text(item).split(",") if p.strip())
    if not parts:
        raise Invalid("must name at least one server (host:port)")
    _checked(parse_addresses, ",".join(parts))
    return parts


def to_context_path(value):
    text = "" if value is None else _text(value)
    if " " in text:
        raise Invalid("must be a path such as /nacos ('' for none), not %r" % (value,))
    return ("/" + text.strip("/")) if text.strip("/") else ""


def to_tls_verify(value):
    """true/false, or the path of a CA bundle file."""
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text.lower() in _TRUE + _FALSE:
        return text.lower() in _TRUE
    if not os.path.isfile(text):
        raise Invalid("must be true, false or an existing CA bundle file, not %r" % (value,))
    return text


def to_metadata(value):
    """A dict (yaml), a JSON object, ``k=v,k2=v2`` text, or a list of ``k=v`` (repeated --metadata)."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return _checked(P.metadata, value) or {}
    items = value if isinstance(value, list) else [value]
    result = {}
    for item in items:
        text = _text(item)
        if text.startswith("{"):
            try:
                result.update(_checked(P.metadata, json.loads(text)) or {})
            except ValueError:
                raise Invalid("%r is not a JSON object" % (text,))
            continue
        for pair in [p for p in text.split(",") if p.strip()]:
            key, sep, val = pair.partition("=")
            if not sep or not key.strip():
                raise Invalid("%r is not key=value" % (pair.strip(),))
            result[key.strip()] = val.strip()
    return result


def to_level(value):
    if value is None or value == "":
        return None
    text = _text(value).upper()
    if text == "WARN":
        text = "WARNING"
    if text not in LEVELS:
        raise Invalid("must be one of %s, not %r" % (", ".join(LEVELS), value))
    return text


def to_path(value):
    text = _text(value)
    if not text or text.lower() in ("off", "none", "false"):
        return None
    if not text.startswith("/") or any(c.isspace() for c in text):
        raise Invalid("must be a URL path such as /nacos/metrics (or off), not %r" % (value,))
    return text


def to_strategy(value):
    text = _text(value).lower().replace("-", "_")
    if text not in STRATEGIES:
        raise Invalid("must be one of %s, not %r" % (", ".join(STRATEGIES), value))
    return text


def to_config_sources(value):
    """Settings sources (:mod:`nacos.settings`): a yaml list of ``{data_id, group, required, format, key}``
    and/or ``"dataId[:group]"`` texts (comma-separated in one text; a trailing ``?`` makes it optional)."""
    from ..settings.live import Source
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    sources = []
    for item in items:
        specs = [item] if isinstance(item, dict) else [p.strip() for p in _text(item).split(",") if p.strip()]
        for spec in specs:
            optional = not isinstance(spec, dict) and spec.endswith("?")
            try:
                source = Source.of(spec[:-1] if optional else spec)
            except (NacosInvalidParam, TypeError) as exc:
                raise Invalid("bad config source %r: %s" % (spec, exc))
            sources.append({"data_id": source.data_id, "group": source.group,
                            "required": source.required and not optional, "format": source.format,
                            "key": source.key})
    return sources


class Field(object):
    """One setting. ``flag_kind``: "value" (``--flag VALUE``), "bool" (``--flag`` sets true, ``--no-flag``
    false), "append" (repeatable ``--flag VALUE``), or None (no flag: env and file only)."""

    def __init__(self, key, default, convert, env=None, flag=None, flag_kind="value", metavar=None,
                 help="", secret=False):
        self.key = key
        self.section, self.name = key.split(".", 1)
        self.default = default
        self.convert = convert
        self.env = env
        self.flag = flag
        self.flag_kind = flag_kind if flag else None
        self.metavar = metavar
        self.help = help
        self.secret = secret

    @property
    def dest(self):
        return self.key.replace(".", "__")


F = Field
FIELDS = [
    F("nacos.server", ["127.0.0.1:8848"], to_servers, "NACOS_SERVER", "--nacos-server", "append", "ADDR",
      "Nacos server(s): host:port, comma-separated and/or repeated (default 127.0.0.1:8848)"),
    F("nacos.namespace", "", to_namespace, "NACOS_NAMESPACE", "--namespace", metavar="ID",
      help="namespace id (default: public)"),
    F("nacos.username", None, to_text, "NACOS_USERNAME", "--username", metavar="USER", help="Nacos user (auth)"),
    F("nacos.password", None, to_text, "NACOS_PASSWORD", "--password", metavar="PASSWORD", help="its password",
      secret=True),
    F("nacos.access_key", None, to_text, "NACOS_ACCESS_KEY", "--access-key", metavar="AK",
      help="access key (AK/SK signing)"),
    F("nacos.secret_key", None, to_text, "NACOS_SECRET_KEY", "--secret-key", metavar="SK",
      help="its secret key", secret=True),
    F("nacos.context_path", "/nacos", to_context_path, "NACOS_CONTEXT_PATH",
      help="path prefix of the server API (default /nacos; '' for none)"),
    F("nacos.tls_verify", True, to_tls_verify, "NACOS_TLS_VERIFY",
      help="verify https servers: true (default), false, or a CA bundle file"),
    F("service.name", None, to_service_name, "NACOS_SERVICE_NAME", "--service-name", metavar="NAME",
      help="service name (default: Django settings package, else the app's directory name, normalised)"),
    F("service.port", None, to_port, "NACOS_SERVICE_PORT", "--service-port", metavar="PORT",
      help="port to register (default: the port the server actually bound)"),
    F("service.ip", None, to_ip, "NACOS_SERVICE_IP", "--service-ip", metavar="IP",
      help="IP to register (default: the bound address, or the outward interface when bound to all)"),
    F("service.group", P.DEFAULT_GROUP_NAME, to_group, "NACOS_SERVICE_GROUP", "--service-group",
      metavar="GROUP", help="service group (default DEFAULT_GROUP)"),
    F("service.cluster", P.DEFAULT_CLUSTER_NAME, to_cluster, "NACOS_SERVICE_CLUSTER", "--service-cluster",
      metavar="CLUSTER", help="cluster name (default DEFAULT)"),
    F("service.weight", 1.0, to_weight, "NACOS_SERVICE_WEIGHT", "--service-weight", metavar="W",
      help="instance weight 0-10000 (default 1.0)"),
    F("service.metadata", {}, to_metadata, "NACOS_SERVICE_METADATA", "--metadata", "append", "KEY=VAL",
      "instance metadata, repeatable (env: k=v,k2=v2 or a JSON object)"),
    F("registration.auto_register", True, to_bool, "NACOS_AUTO_REGISTER", "--auto-register", "bool",
      help="register at all (default true; --no-auto-register runs the app without registering it)"),
    F("registration.register_on_startup", True, to_bool, "NACOS_REGISTER_ON_STARTUP",
      "--register-on-startup", "bool", help="register as soon as the server listens (default true)"),
    F("registration.register_on_request", True, to_bool, "NACOS_REGISTER_ON_REQUEST",
      "--register-on-request", "bool",
      help="register on the first request if not registered yet (default true; given alone on the "
           "command line it also turns startup registration off)"),
    F("registration.retry_times", 3, to_count, "NACOS_RETRY_TIMES", "--retry-times", metavar="N",
      help="retries after a failed registration (default 3)"),
    F("registration.retry_interval", 2.0, to_seconds0, "NACOS_RETRY_INTERVAL", "--retry-interval",
      metavar="SEC", help="seconds between registration tries (default 2)"),
    F("registration.retry_max_interval", 10.0, to_seconds, "NACOS_RETRY_MAX_INTERVAL", "--retry-max-interval",
      metavar="SEC", help="after the retries, keep retrying in the background, the pause doubling up to this "
                          "(default 10)"),
    F("heartbeat.interval", 5.0, to_seconds, "NACOS_HEARTBEAT_INTERVAL", "--heartbeat-interval",
      metavar="SEC", help="seconds between heartbeats (default 5)"),
    F("heartbeat.timeout", 3.0, to_seconds, "NACOS_HEARTBEAT_TIMEOUT", "--heartbeat-timeout", metavar="SEC",
      help="timeout of each Nacos request: beat, register, deregister (default 3)"),
    F("shutdown.graceful", True, to_bool, "NACOS_GRACEFUL_SHUTDOWN", "--graceful-shutdown", "bool",
      help="deregister on SIGTERM/SIGINT, then chain to the previous handler (default true)"),
    F("shutdown.timeout", 5.0, to_seconds, "NACOS_SHUTDOWN_TIMEOUT", "--shutdown-timeout", metavar="SEC",
      help="at most this long deregistering at shutdown (default 5)"),
    F("shutdown.deregister", True, to_bool, "NACOS_DEREGISTER_ON_EXIT", "--deregister-on-exit", "bool",
      help="deregister when the process exits (default true)"),
    F("logging.level", None, to_level, "NACOS_LOG_LEVEL", "--log-level", metavar="LEVEL",
      help="level of the nacos loggers, written to stderr (default: leave logging alone)"),
    F("logging.file", None, to_text, "NACOS_LOG_FILE", "--log-file", metavar="PATH",
      help="also append the nacos loggers to this file"),
    F("logging.metrics_path", None, to_path, "NACOS_METRICS_PATH", "--metrics-path", metavar="PATH",
      help="serve the client's Prometheus metrics at this path of the app, e.g. /nacos/metrics (default off)"),
    F("discovery.empty_protection", True, to_bool, "NACOS_ENABLE_EMPTY_PROTECTION", "--empty-protection",
      "bool", help="discovery keeps the last instance list when an update is empty (default true)"),
    F("discovery.strategy", "round_robin", to_strategy, "NACOS_DISCOVERY_STRATEGY",
      help="discovery load balancing: round_robin, random, weighted_random"),
    F("discovery.retries", 2, to_count, "NACOS_DISCOVERY_RETRIES",
      help="discovery: other instances tried after a connection failure"),
    F("discovery.group", None, to_group, "NACOS_DISCOVERY_GROUP", help="discovery group (default: service.group)"),
    F("discovery.namespace", None, to_namespace, "NACOS_DISCOVERY_NAMESPACE",
      help="discovery namespace (default: nacos.namespace)"),
    F("discovery.cluster", [], to_clusters, "NACOS_DISCOVERY_CLUSTER",
      help="discovery: only these clusters (comma-separated; default all)"),
    F("discovery.metadata", {}, to_metadata, "NACOS_DISCOVERY_METADATA",
      help="discovery: only instances whose metadata has these key=value pairs"),
    F("config.sources", [], to_config_sources, "NACOS_CONFIG_SOURCES", "--config-source", "append",
      "DATAID[:GROUP]", "settings sources (nacos.settings), loaded before the app is imported; later ones "
      "override earlier ones; repeatable or comma-separated; a trailing ? makes one optional"),
    F("config.prefix", None, to_text, "NACOS_CONFIG_PREFIX", "--config-prefix", metavar="PREFIX",
      help="keep only the settings keys under PREFIX. (stripped)"),
    F("config.frozen", False, to_bool, "NACOS_CONFIG_FROZEN", "--config-frozen", "bool",
      help="read the settings sources once at start, never refresh (default false)"),
]
BY_KEY = dict((f.key, f) for f in FIELDS)
BY_DEST = dict((f.dest, f) for f in FIELDS)
