"""``nacos serve``: the embedded Nacos-compatible server (``nacos.testing``) for local development."""
from __future__ import absolute_import

from . import common, output
from .codes import OK, USAGE, CliError


def add_parser(subparsers):
    """Register ``serve``."""
    text = ("run the embedded Nacos-compatible server (in memory, for local development and tests) until "
            "Ctrl-C or SIGTERM")
    parser = subparsers.add_parser("serve", help=text, description=text)
    from ..testing.__main__ import _parse_user
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8848, help="HTTP port (default 8848; 0 for a free one)")
    parser.add_argument("--context-path", default="/nacos", help="API path prefix (default /nacos)")
    parser.add_argument("--auth", action="store_true", help="require login (users from --user, default nacos:nacos)")
    parser.add_argument("--user", action="append", type=_parse_user, default=[], metavar="NAME:PASSWORD",
                        help="a user for --auth, repeatable")
    parser.add_argument("--no-v1", action="store_true",
                        help="play a Nacos 3.2+ without the legacy adapter: every v1 API answers HTTP 410")
    parser.add_argument("--json", action="store_true", help="print the settings as one JSON line")
    parser.set_defaults(func=serve, no_client=True)


def serve(args):
    from ..testing import NacosServer
    server = NacosServer(host=args.host, port=args.port, context_path=args.context_path, auth_enabled=args.auth,
                         users=dict(args.user) or None, v1=not args.no_v1)
    try:
        server.start()
    except (OSError, IOError) as exc:
        raise CliError("cannot listen on %s:%d: %s" % (args.host, args.port, exc), USAGE)
    try:
        users = (sorted(dict(args.user)) or ["nacos"]) if args.auth else []
        facts = {"address": server.address, "url": server.url + server.context_path, "port": server.port,
                 "context_path": server.context_path, "auth": args.auth, "users": users,
                 "apis": ["v3"] if args.no_v1 else ["v1", "v3"], "data": "in memory, lost on exit"}
        if args.json:
            output.emit_json(facts)
        else:
            output.pairs([("url", facts["url"]), ("port", facts["port"]),
                          ("apis", "v3 (every v1 API answers 410)" if args.no_v1 else "v1 and v3"),
                          ("auth", "on, users: %s" % ", ".join(users) if args.auth else "off"),
                          ("data", facts["data"]),
                          ("use", "NACOS_SERVER=%s nacos config ls" % server.address)])
            output.write(u"Ctrl-C to stop\n")
        common.wait_for_interrupt()
    finally:
        server.stop()
    return OK
