"""Settings of the discovery adapters.

Precedence, per key: ``configure(...)`` keywords > the shared loader :func:`nacos.auto.config.load_settings`
(command line > environment > ``nacos.yaml``/``application.yaml`` > defaults, the same file and variables as
auto-registration) > the defaults below. The loader's keys used here: ``nacos.server``, ``nacos.namespace``,
``nacos.username``, ``nacos.password``, ``nacos.access_key``, ``nacos.secret_key``, ``heartbeat.timeout``
(timeout of Nacos requests) and the ``discovery`` section (``group``, ``namespace``, ``cluster``, ``metadata``,
``strategy``, ``retries``, ``empty_protection``). The keys only ``configure()`` takes (``failure_ttl``,
``unknown_ttl``, ``services``, ``passthrough``, ``aliases``, ``lookup_unknown``, ``seed``, ``client_options``)
are documented in docs/discovery.md.
"""
from __future__ import absolute_import

import numbers

from ...compat import string_types
from ...exception import NacosInvalidParam
from .. import config as shared_config
from .. import fields as F

#: per-call override keys (``nacos={...}`` / httpx ``extensions={"nacos": {...}}``)
CALL_KEYS = ("group", "cluster", "metadata", "strategy", "retries")


def _patterns(value):
    if value is None or value == "":
        return []
    if not isinstance(value, string_types + (list, tuple)):
        raise F.Invalid("must be a list of host patterns, not %r" % (value,))
    items = value.split(",") if isinstance(value, string_types) else list(value)
    if not all(isinstance(p, string_types) for p in items):
        raise F.Invalid("must be a list of host patterns, not %r" % (value,))
    return [p.strip().lower() for p in items if p.strip()]


def _aliases(value):
    if not value:
        return {}
    if not isinstance(value, dict):
        raise F.Invalid("must be a dict host -> service name, not %r" % (value,))
    return dict((F._text(k).lower(), F.to_service_name(v)) for k, v in value.items())


def _seed(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise F.Invalid("must be an integer or None, not %r" % (value,))
    return value


def _dict(value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise F.Invalid("must be a dict, not %r" % (value,))
    return dict(value)


CONVERT = {
    "server": F.to_servers, "namespace": F.to_namespace, "username": F.to_text, "password": F.to_text,
    "access_key": F.to_text, "secret_key": F.to_text, "timeout": F.to_seconds,
    "group": F.to_group, "cluster": F.to_clusters, "metadata": F.to_metadata, "strategy": F.to_strategy,
    "retries": F.to_count, "empty_protection": F.to_bool, "failure_ttl": F.to_seconds0,
    "unknown_ttl": F.to_seconds0, "services": _patterns, "passthrough": _patterns, "aliases": _aliases,
    "lookup_unknown": F.to_bool, "seed": _seed, "client_options": _dict,
}
DEFAULTS = {
    "server": ["127.0.0.1:8848"], "namespace": "", "username": None, "password": None, "access_key": None,
    "secret_key": None, "timeout": 3.0, "group": "DEFAULT_GROUP", "cluster": [], "metadata": {},
    "strategy": "round_robin", "retries": 2, "empty_protection": True, "failure_ttl": 10.0,
    "unknown_ttl": 2.0, "services": [], "passthrough": [], "aliases": {}, "lookup_unknown": True,
    "seed": None, "client_options": {},
}
#: loader key -> our key
SHARED = (("nacos.server", "server"), ("discovery.namespace", "namespace"), ("nacos.username", "username"),
          ("nacos.password", "password"), ("nacos.access_key", "access_key"),
          ("nacos.secret_key", "secret_key"), ("heartbeat.timeout", "timeout"), ("discovery.group", "group"),
          ("discovery.cluster", "cluster"), ("discovery.metadata", "metadata"),
          ("discovery.strategy", "strategy"), ("discovery.retries", "retries"),
          ("discovery.empty_protection", "empty_protection"))


def convert(name, value):
    """The checked value of option ``name``; a bad one raises :class:`NacosInvalidParam` naming it."""
    if name not in CONVERT:
        raise NacosInvalidParam(name, "unknown discovery option (known: %s)" % ", ".join(sorted(CONVERT)))
    try:
        return CONVERT[name](value)
    except F.Invalid as exc:
        raise NacosInvalidParam(name, str(exc), value)


class DiscoverySettings(object):
    """Checked settings as attributes; ``sources[name]`` says where each value came from."""

    def __init__(self, values, sources=None):
        self.__dict__.update(values)
        self.sources = dict(sources or {})

    @property
    def clusters(self):
        return ",".join(self.cluster)

    def client_kwargs(self):
        """Keyword arguments for the :class:`nacos.NacosClient` the adapters create."""
        kwargs = dict(server_addresses=",".join(self.server), namespace=self.namespace,
                      username=self.username, password=self.password, ak=self.access_key, sk=self.secret_key,
                      default_timeout=self.timeout, push_empty_protection=self.empty_protection,
                      naming_cache_dir=None)  # no nacos-data/ in the working directory (client_options may set one)
        kwargs.update(self.client_options)
        return kwargs

    def __repr__(self):
        shown = dict((k, "***" if k in ("password", "secret_key") and v else v)
                     for k, v in self.__dict__.items() if k != "sources")
        return "<DiscoverySettings %r>" % (shown,)


def build(shared=None, load=True, **options):
    """Merged :class:`DiscoverySettings`.

    :param shared: a :class:`nacos.auto.config.Settings` to use instead of calling the loader.
    :param load: False skips the loader (only defaults and ``options``).
    :param options: ``configure()`` keywords (see :data:`CONVERT`).
    """
    values, sources = dict(DEFAULTS), dict((k, "default") for k in DEFAULTS)
    if shared is None and load:
        shared = shared_config.load_settings()
    if shared is not None:
        for key, name in SHARED:
            values[name] = shared.get(key)
            sources[name] = shared.sources.get(key, "settings")
    for name, value in options.items():
        values[name] = convert(name, value)
        sources[name] = "configure()"
    return DiscoverySettings(values, sources)


def call_options(settings, overrides):
    """``(group, clusters, metadata, strategy, retries)`` for one call: the settings with the per-call
    ``overrides`` dict applied (None or {} for none)."""
    if not overrides:
        return settings.group, settings.clusters, settings.metadata, settings.strategy, settings.retries
    unknown = [k for k in overrides if k not in CALL_KEYS]
    if unknown:
        raise NacosInvalidParam("nacos", "unknown per-call key '%s' (known: %s)" % (unknown[0], ", ".join(CALL_KEYS)))
    get = overrides.get
    group = convert("group", get("group")) if get("group") is not None else settings.group
    clusters = ",".join(convert("cluster", get("cluster"))) if "cluster" in overrides else settings.clusters
    metadata = convert("metadata", get("metadata")) if "metadata" in overrides else settings.metadata
    strategy = convert("strategy", get("strategy")) if get("strategy") is not None else settings.strategy
    retries = convert("retries", get("retries")) if get("retries") is not None else settings.retries
    return group, clusters, metadata, strategy, retries
