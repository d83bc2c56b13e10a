"""Connection settings of the ``nacos`` command, read the way the registration CLI reads them
(:func:`nacos.auto.config.load_settings`): flags > environment variables (NACOS_SERVER, NACOS_NAMESPACE,
NACOS_USERNAME, NACOS_PASSWORD, NACOS_ACCESS_KEY, NACOS_SECRET_KEY, NACOS_CONTEXT_PATH, NACOS_TLS_VERIFY) >
``nacos.yaml`` (or ``--config-file``) > defaults.

The password is never a flag (it would show in ``ps`` and shell history): it comes from NACOS_PASSWORD, the
file's ``nacos.password`` or, when a user is given and stdin is a terminal, a prompt that does not echo.
"""
from __future__ import absolute_import

import getpass
import logging
import os
import sys

from .codes import USAGE, CliError

#: flag dest -> (settings key, flag name as shown in errors)
FLAGS = (("server", "nacos.server", "--server"), ("namespace", "nacos.namespace", "--namespace"),
         ("username", "nacos.username", "--username"), ("context_path", "nacos.context_path", "--context-path"),
         ("tls_verify", "nacos.tls_verify", "--tls-verify"))


def add_arguments(parser):
    """The connection options, shared by every subcommand that talks to a server."""
    group = parser.add_argument_group("connection (flags > env vars > nacos.yaml > defaults)")
    group.add_argument("--server", action="append", metavar="ADDR",
                       help="server address, repeatable or comma-separated (env NACOS_SERVER; default "
                            "127.0.0.1:8848)")
    group.add_argument("--namespace", metavar="ID", help="namespace id (env NACOS_NAMESPACE; default public)")
    group.add_argument("--username", metavar="USER",
                       help="user for an auth-enabled server (env NACOS_USERNAME); the password comes from "
                            "NACOS_PASSWORD, nacos.yaml or a prompt")
    group.add_argument("--context-path", metavar="PATH",
                       help="path prefix of the server API (env NACOS_CONTEXT_PATH; default /nacos; '' for none)")
    group.add_argument("--tls-verify", metavar="yes|no|CA_FILE",
                       help="verify https servers (env NACOS_TLS_VERIFY; default yes), or a CA bundle file")
    group.add_argument("--timeout", type=float, default=3.0, metavar="SECONDS",
                       help="seconds for connect and for each read (default 3)")
    group.add_argument("--config-file", metavar="PATH",
                       help="settings file (default: nacos.yaml, nacos.yml, application.yaml or application.yml "
                            "in the working directory, as nacos-register reads)")


class _StderrWarnings(logging.Handler):
    def __init__(self):
        logging.Handler.__init__(self, logging.WARNING)

    def emit(self, record):
        sys.stderr.write("nacos: warning: %s\n" % (record.getMessage(),))


def _load(args, env):
    """The merged :class:`nacos.auto.config.Settings`; a bad value is a usage error naming key and source."""
    from ..auto.config import SettingsError, load_settings
    from ..auto.fields import BY_KEY, Invalid
    path = getattr(args, "config_file", None)
    if path is not None and not os.path.isfile(path):
        raise CliError("--config-file: %s does not exist" % (path,), USAGE)
    handler = _StderrWarnings()
    logger = logging.getLogger("nacos.auto.config")
    logger.addHandler(handler)  # keys the loader ignores (application.yaml, unknown names): said, not silent
    try:
        loaded = load_settings(env=env, config_file=path)
    except SettingsError as exc:
        raise CliError(str(exc), USAGE)
    finally:
        logger.removeHandler(handler)
    for dest, key, flag in FLAGS:
        value = getattr(args, dest, None)
        if value is None:
            continue
        try:
            loaded.values[key] = BY_KEY[key].convert(value)
        except Invalid as exc:
            raise CliError("invalid %s from cli %s: %s" % (key, flag, exc), USAGE)
        loaded.sources[key] = "cli %s" % flag
    return loaded


def _password(username, loaded):
    if not username:
        return None
    if loaded.values["nacos.password"] is not None:
        return loaded.values["nacos.password"]
    if not sys.stdin.isatty():
        raise CliError("user %r given but NACOS_PASSWORD is not set (nor nacos.password in %s) and there is no "
                       "terminal to ask on" % (username, loaded.file or "nacos.yaml"), USAGE)
    return getpass.getpass("Password for %s: " % (username,))


def settings(args, env=None):
    """The keyword arguments for :class:`nacos.NacosClient` from parsed arguments, the environment and the
    settings file."""
    loaded = _load(args, os.environ if env is None else env)
    value = loaded.values.get
    username = value("nacos.username")
    return {
        "server_addresses": ",".join(value("nacos.server")),
        "namespace": value("nacos.namespace"),
        "username": username,
        "password": _password(username, loaded),
        "ak": value("nacos.access_key"), "sk": value("nacos.secret_key"),
        # a command line leaves nothing behind and never answers from an old local copy
        "no_snapshot": True, "failover_base": None, "snapshot_base": None, "naming_cache_dir": None,
        "push_empty_protection": False,  # `naming watch` shows a service losing its last instance
        "context_path": value("nacos.context_path"),
        "tls_verify": value("nacos.tls_verify"),
        "default_timeout": args.timeout,
    }


def client(args):
    """A :class:`nacos.NacosClient` for the parsed arguments."""
    import nacos
    return nacos.NacosClient(**settings(args))
