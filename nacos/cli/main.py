"""Argument parsing and dispatch of the ``nacos`` command; client errors become exit codes here only."""
from __future__ import absolute_import

import argparse
import sys

from . import codes, common, connect, output

EPILOG = ("exit codes: 0 ok, 1 not found or failed, 2 usage, 3 cannot reach any server. "
          "Settings: flags, then env vars (NACOS_SERVER, NACOS_NAMESPACE, NACOS_USERNAME, NACOS_PASSWORD, ...), "
          "then nacos.yaml in the working directory (or --config-file), as nacos-register reads them.")


def build_parser():
    from . import config_cmd, doctor_cmd, naming_cmd, serve_cmd
    parser = argparse.ArgumentParser(prog="nacos", description="Nacos from the shell (nacos-http-client).",
                                     epilog=EPILOG)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    config_cmd.add_parser(commands)
    naming_cmd.add_parser(commands)
    doctor_cmd.add_parser(commands)
    serve_cmd.add_parser(commands)
    return parser


def main(argv=None):
    """Parse ``argv`` (default sys.argv[1:]), run the subcommand, return the exit code."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)  # exits 2 on a usage error
    client = None
    try:
        common.handle_signals()
        if getattr(args, "no_client", False):
            return args.func(args)
        client = connect.client(args)
        return args.func(client, args)
    except codes.CliError as exc:
        output.error(exc)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the client's errors carry status, method and url, secrets removed
        from ..exception import NacosException
        if not isinstance(exc, NacosException):
            raise
        output.error(exc)
        return codes.code_for(exc)
    finally:
        if client is not None:
            client.stop()
