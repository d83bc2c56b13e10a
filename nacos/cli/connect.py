"""Connection settings of the ``nacos`` command: flags, then the environment variables the registration CLI
reads (NACOS_SERVER, NACOS_NAMESPACE, NACOS_USERNAME, NACOS_PASSWORD), then defaults.

The password is never a flag (it would show in ``ps`` and shell history): it comes from NACOS_PASSWORD or,
when a user is given and stdin is a terminal, from a prompt that does not echo.
"""
from __future__ import absolute_import

import getpass
import os
import sys

from .codes import USAGE, CliError

DEFAULT_SERVER = "127.0.0.1:8848"


def add_arguments(parser):
    """The connection options, shared by every subcommand that talks to a server."""
    group = parser.add_argument_group("connection")
    group.add_argument("--server", action="append", metavar="ADDR",
                       help="server address, repeatable or comma-separated (env NACOS_SERVER; default %s)"
                            % DEFAULT_SERVER)
    group.add_argument("--namespace", metavar="ID", help="namespace id (env NACOS_NAMESPACE; default public)")
    group.add_argument("--username", metavar="USER",
                       help="user for an auth-enabled server (env NACOS_USERNAME); the password comes from "
                            "NACOS_PASSWORD or a prompt")
    group.add_argument("--context-path", metavar="PATH", default="/nacos",
                       help="path prefix of the server API (default /nacos; '' for none)")
    group.add_argument("--tls-verify", metavar="yes|no|CA_FILE", default="yes",
                       help="verify https servers (default yes), or a CA bundle file")
    group.add_argument("--timeout", type=float, default=3.0, metavar="SECONDS",
                       help="seconds for connect and for each read (default 3)")


def _tls_verify(value):
    text = value.strip()
    if text.lower() in ("yes", "true", "1", "on"):
        return True
    if text.lower() in ("no", "false", "0", "off"):
        return False
    if not os.path.isfile(text):
        raise CliError("--tls-verify: %r is neither yes/no nor an existing CA file" % (value,), USAGE)
    return text


def _password(username, env):
    if not username:
        return None
    if env.get("NACOS_PASSWORD") is not None:
        return env["NACOS_PASSWORD"]
    if not sys.stdin.isatty():
        raise CliError("user %r given but NACOS_PASSWORD is not set and there is no terminal to ask on"
                       % (username,), USAGE)
    return getpass.getpass("Password for %s: " % (username,))


def settings(args, env=None):
    """The keyword arguments for :class:`nacos.NacosClient` from parsed arguments and the environment."""
    env = os.environ if env is None else env
    servers = ",".join(args.server or []) or env.get("NACOS_SERVER") or DEFAULT_SERVER
    namespace = args.namespace if args.namespace is not None else env.get("NACOS_NAMESPACE", "")
    username = args.username or env.get("NACOS_USERNAME") or None
    return {
        "server_addresses": servers,
        "namespace": namespace,
        "username": username,
        "password": _password(username, env),
        # a command line leaves nothing behind and never answers from an old local copy
        "no_snapshot": True, "failover_base": None, "snapshot_base": None, "naming_cache_dir": None,
        "context_path": args.context_path,
        "tls_verify": _tls_verify(args.tls_verify),
        "default_timeout": args.timeout,
    }


def client(args):
    """A :class:`nacos.NacosClient` for the parsed arguments."""
    import nacos
    return nacos.NacosClient(**settings(args))
