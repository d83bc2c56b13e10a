"""ONE loader for the auto-registration settings, shared by the launcher, the import trigger, the middleware
and the discovery adapters::

    from nacos.auto.config import load_settings
    settings = load_settings()                  # env + nacos.yaml in the working directory + defaults
    settings.service.port, settings.discovery.strategy, settings.client_kwargs()

Precedence, per key: command line > environment > file > defaults. The file is the first of ``nacos.yaml``,
``nacos.yml``, ``application.yaml``, ``application.yml`` in ``cwd``. Its sections (``nacos``, ``service``,
``registration``, ``heartbeat``, ``shutdown``, ``logging``, ``discovery``) may sit at the top level or under a
top-level ``nacos:`` key. Every key, its env var and flag are in :mod:`nacos.auto.fields`. A bad value raises
:class:`SettingsError` naming the key and where it came from.
"""
from __future__ import absolute_import

import logging
import os
import re

from .fields import BY_DEST, BY_KEY, FIELDS, SECTIONS, Invalid

logger = logging.getLogger(__name__)

FILE_NAMES = ("nacos.yaml", "nacos.yml", "application.yaml", "application.yml")
MASK = "******"
#: keys of nacos-serving-python files that have no meaning here: ignored with a warning, never an error
IGNORED = frozenset(["nacos.advanced", "nacos.endpoint", "service.enabled", "service.healthy",
                     "service.ephemeral", "registration.enable_process_lock", "shutdown.force_exit",
                     "shutdown.signal_timeout", "logging.format", "discovery.blacklist"])
ALIASES = {"nacos.group": "discovery.group"}  # nacos-serving-python's lookup group
_USERINFO = re.compile(r"(://)[^@/]+@")


class SettingsError(ValueError):
    """An invalid setting: ``key`` (dotted), ``source`` ("cli --flag", "env NAME", "file PATH", ...)."""

    def __init__(self, key, source, message):
        ValueError.__init__(self, "invalid %s from %s: %s" % (key, source, message))
        self.key = key
        self.source = source


class Section(object):
    """The settings of one section as attributes (``settings.service.port``)."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        items = sorted((k, v) for k, v in vars(self).items() if not k.startswith("_"))
        return "<%s %s>" % (self._name, ", ".join("%s=%r" % kv for kv in items))


class Settings(object):
    """Merged settings: one :class:`Section` per section, ``sources[key]`` says where each value came from,
    ``file`` is the config file read (or None)."""

    def __init__(self, values, sources, file=None):
        self.values = values
        self.sources = sources
        self.file = file
        for name in SECTIONS:
            setattr(self, name, Section(name))
        for key, value in values.items():
            section, name = key.split(".", 1)
            setattr(getattr(self, section), name, value)

    def get(self, key):
        return self.values[key]

    def masked(self, key):
        value = self.values[key]
        if BY_KEY[key].secret and value:
            return MASK
        if key == "nacos.server":
            return [_USERINFO.sub(r"\1***@", s) for s in value]
        return value

    def as_dict(self, mask=True):
        """``{section: {key: value}}`` with secrets masked unless ``mask`` is False."""
        result = dict((name, {}) for name in SECTIONS)
        for key in self.values:
            section, name = key.split(".", 1)
            result[section][name] = self.masked(key) if mask else self.values[key]
        return result

    def dump(self):
        """Readable, masked text: one ``key = value  (source)`` line per setting."""
        lines = ["# config file: %s" % (self.file or "none")]
        for field in FIELDS:
            value = self.masked(field.key)
            shown = "auto" if value is None and field.key.startswith("service.") else value
            lines.append("%-32s = %-28s (%s)" % (field.key, _show(shown), self.sources[field.key]))
        return "\n".join(lines)

    def client_kwargs(self):
        """Keyword arguments for :class:`nacos.NacosClient` (servers, namespace, credentials, timeout, context
        path, TLS verification)."""
        return dict(server_addresses=",".join(self.nacos.server), namespace=self.nacos.namespace,
                    username=self.nacos.username, password=self.nacos.password, ak=self.nacos.access_key,
                    sk=self.nacos.secret_key, default_timeout=self.heartbeat.timeout,
                    context_path=self.nacos.context_path, tls_verify=self.nacos.tls_verify)

    def __repr__(self):
        return "<Settings file=%r %r>" % (self.file, self.as_dict())


def _show(value):
    if isinstance(value, list):
        return ",".join(_source(v) if isinstance(v, dict) and "data_id" in v else str(v) for v in value) or "[]"
    if isinstance(value, dict):
        return ",".join("%s=%s" % kv for kv in sorted(value.items())) or "{}"
    return "" if value is None else str(value)


def _source(spec):
    """A ``config.sources`` item as its short form: ``dataId:group``, ``?`` when optional."""
    return "%s:%s%s" % (spec["data_id"], spec["group"], "" if spec.get("required", True) else "?")


# ------------------------------------------------------------------------------------------- sources
def find_config_file(cwd=None):
    """The first of :data:`FILE_NAMES` in ``cwd`` (default: the working directory), or None."""
    cwd = cwd or os.getcwd()
    for name in FILE_NAMES:
        path = os.path.join(cwd, name)
        if os.path.isfile(path):
            return path
    return None


def read_file(path):
    """``{dotted key: raw value}`` from a yaml file, in either layout. Unknown keys are an error in
    ``nacos.y(a)ml`` and a warning in ``application.y(a)ml`` (which may hold other things)."""
    import yaml
    strict = os.path.basename(path).startswith("nacos.")
    source = "file %s" % path
    try:
        with open(path, "rb") as fp:
            data = yaml.safe_load(fp.read().decode("utf-8"))
    except (IOError, OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingsError("(file)", source, "cannot read it: %s" % (exc,))
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise SettingsError("(file)", source, "must be a mapping of sections")
    inner = data.get("nacos") or {}
    if not isinstance(inner, dict):
        raise SettingsError("nacos", source, "must be a mapping")
    raw = {}

    def unknown(key):
        if key in IGNORED:
            logger.warning("%s: %s is not used by nacos.auto; ignored", path, key)
        elif strict:
            raise SettingsError(key, source, "unknown key (known: %s)" % ", ".join(sorted(BY_KEY)))
        else:
            logger.warning("%s: unknown key %s ignored", path, key)

    for name, value in inner.items():  # connection keys, or whole sections (nested layout)
        if name in SECTIONS and name != "nacos":
            continue
        key = ALIASES.get("nacos.%s" % name, "nacos.%s" % name)
        if key in BY_KEY:
            raw[key] = value
        else:
            unknown(key)
    for section in SECTIONS[1:]:
        for layer in (data.get(section), inner.get(section)):  # top level first, nested wins
            if layer is None:
                continue
            if not isinstance(layer, dict):
                raise SettingsError(section, source, "must be a mapping, not %r" % (layer,))
            for name, value in layer.items():
                key = "%s.%s" % (section, name)
                if key in BY_KEY:
                    raw[key] = value
                else:
                    unknown(key)
    return raw


def env_values(env):
    """``{dotted key: raw text}`` from the environment variables that are set and not empty."""
    return dict((f.key, env[f.env]) for f in FIELDS if f.env and env.get(f.env, "").strip())


def cli_values(cli_args):
    """``{dotted key: (raw value, flag)}`` from an argparse namespace of :func:`nacos.auto.args.build_parser`,
    a dict ``{dotted key: raw}``, or a list of command-line options."""
    if cli_args is None:
        return {}
    if isinstance(cli_args, dict):
        return dict((k, (v, "cli %s" % (BY_KEY[k].flag or k) if k in BY_KEY else k))
                    for k, v in cli_args.items())
    if isinstance(cli_args, (list, tuple)):
        from .args import parse_options
        cli_args = parse_options(cli_args)
    result = {}
    for dest, value in vars(cli_args).items():
        field = BY_DEST.get(dest)
        if field is not None and value is not None:
            result[field.key] = (value, "cli %s" % field.flag)
    request, startup = "registration.register_on_request", "registration.register_on_startup"
    if request in result and startup not in result and result[request][0] in (True, "true"):
        result[startup] = (False, "cli --register-on-request")  # "register on request" means not at startup
    return result


def load_settings(cli_args=None, env=None, cwd=None, config_file=None):
    """Merged :class:`Settings`. ``env`` defaults to ``os.environ``, ``cwd`` to the working directory;
    ``config_file`` reads that file instead of looking in ``cwd``."""
    env = os.environ if env is None else env
    path = config_file or find_config_file(cwd)
    layers = [("default", dict((f.key, f.default) for f in FIELDS))]
    if path:
        layers.append(("file %s" % path, read_file(path)))
    layers.append(("env", env_values(env)))
    cli = cli_values(cli_args)
    unknown = [k for k in cli if k not in BY_KEY]
    if unknown:
        raise SettingsError(unknown[0], "cli", "unknown setting")
    values, sources = {}, {}
    for source, raw in layers:
        for key, value in raw.items():
            field = BY_KEY[key]
            where = "env %s" % field.env if source == "env" else source
            values[key], sources[key] = _convert(field, value, where, source == "default"), where
    for key, (value, where) in cli.items():
        values[key], sources[key] = _convert(BY_KEY[key], value, where), where
    for key, base in (("discovery.group", "service.group"), ("discovery.namespace", "nacos.namespace")):
        if values[key] is None:
            values[key], sources[key] = values[base], "%s (%s)" % (sources[base], base)
    return Settings(values, sources, path)


def _convert(field, value, source, trusted=False):
    if trusted:
        return value
    try:
        return field.convert(value)
    except Invalid as exc:
        raise SettingsError(field.key, source, str(exc))
