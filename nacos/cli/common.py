"""Helpers shared by the subcommand modules of the ``nacos`` command."""
from __future__ import absolute_import

import signal
import time

from . import connect


def command(subparsers, name, help_text):
    """Add the command ``name`` (e.g. ``config``); returns ``add(action, func, help)``, which adds one of its
    actions with the connection flags and ``--json``, ``func(client, args)`` its handler."""
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    commands = parser.add_subparsers(dest="action", metavar="ACTION")
    commands.required = True

    def add(name, func, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(func=func)
        connect.add_arguments(sub)
        sub.add_argument("--json", action="store_true", help="JSON output for scripts")
        return sub
    return add


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def handle_signals():
    """Ctrl-C and SIGTERM both raise KeyboardInterrupt, so either ends any subcommand the same, orderly way
    (``naming register`` deregisters). Installed before the subcommand runs: a signal right after its first
    output line must not kill it unprepared."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started with SIGINT ignored (a shell's background job)


def wait_for_interrupt():
    """Block until Ctrl-C or SIGTERM."""
    handle_signals()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return
