"""``python -m nacos.testing``: run the embedded server until Ctrl-C."""
from __future__ import absolute_import, print_function

import argparse
import sys
import time

from .server import NacosServer


def _parse_user(value):
    name, sep, password = value.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected NAME:PASSWORD, got %r" % value)
    return name, password


def main(argv=None):
    """Parse the command line, start the server and block until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m nacos.testing",
                                     description="Embedded Nacos 2.x compatible v1 (and 3.x v3) HTTP server for tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8848)
    parser.add_argument("--context-path", default="/nacos")
    parser.add_argument("--auth", action="store_true", help="require login tokens")
    parser.add_argument("--user", action="append", type=_parse_user, default=[],
                        help="NAME:PASSWORD (repeatable; default nacos:nacos)")
    parser.add_argument("--token-ttl", type=int, default=18000, help="token lifetime in seconds")
    parser.add_argument("--heartbeat-timeout", type=float, default=15.0, help="seconds")
    parser.add_argument("--delete-timeout", type=float, default=30.0, help="seconds")
    parser.add_argument("--health-check-interval", type=float, default=5.0, help="seconds")
    parser.add_argument("--long-poll-min-hold", type=float, default=10.0, help="seconds")
    parser.add_argument("--push-mode", choices=("recognised", "all", "off"), default="recognised")
    parser.add_argument("--push-delay", type=float, default=0.0,
                        help="seconds from a service change to its push, changes in between merged "
                             "(a real 2.x server: 0.5; default 0, push at once)")
    parser.add_argument("--no-v1", action="store_true",
                        help="play a Nacos 3.2+ without the legacy adapter: every v1 API answers HTTP 410")
    args = parser.parse_args(argv)
    server = NacosServer(host=args.host, port=args.port, context_path=args.context_path,
                         auth_enabled=args.auth, users=dict(args.user) or None, token_ttl=args.token_ttl,
                         heartbeat_timeout=args.heartbeat_timeout, delete_timeout=args.delete_timeout,
                         health_check_interval=args.health_check_interval,
                         long_poll_min_hold=args.long_poll_min_hold, push_mode=args.push_mode, v1=not args.no_v1,
                         push_delay=args.push_delay)
    server.start()
    print("nacos.testing server listening on %s%s (auth %s%s); Ctrl-C to stop"
          % (server.url, server.context_path, "on" if args.auth else "off", ", no v1 APIs" if args.no_v1 else ""))
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
