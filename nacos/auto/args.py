"""The launcher's command line, built from :data:`nacos.auto.fields.FIELDS` (imported by :mod:`.cli` and by the
loader in :mod:`.config`, which imports nothing else of the launcher).

:func:`split` cuts a command line into the launcher's options, the target and the target's arguments:

* boolean options take an optional value: ``--empty-protection``, ``--empty-protection false`` and
  ``--empty-protection=off`` all work (``--no-empty-protection`` too);
* the flags of nacos-serving-python 0.1.3 are aliases (:data:`LEGACY`);
* an unknown option before the target is an error, never taken for the target.

:func:`take_options` picks the launcher's options out of the arguments given after a script
(``app.py --nacos-server ... --service-name ...``, the form of the seed's table); the caller says on stderr
which were read that way. Arguments after ``--`` always stay the script's.
"""
from __future__ import absolute_import

import argparse
import os

from .fields import FIELDS, _FALSE, _TRUE

DESCRIPTION = ("Run a Flask, Django or FastAPI app (or gunicorn/uvicorn) with Nacos service registration. "
               "Settings: these options > environment variables > nacos.yaml/application.yaml in the working "
               "directory > defaults.")
EPILOG = ("examples: nacos-register --nacos-server 10.0.0.5:8848 --service-name orders app.py | "
          "nacos-register gunicorn -w 2 -b 0.0.0.0:8000 app:app | nacos-register mymodule:app")

#: nacos-serving-python 0.1.3's flags: alias -> (the primary flag, the value it stands for or None)
LEGACY = {
    "--group": ("--service-group", None),
    "--cluster": ("--service-cluster", None),
    "--disable-graceful-shutdown": ("--no-graceful-shutdown", None),
    "--debug": ("--log-level", "DEBUG"),
}
ACTIONS = ("--dry-run", "--show-config", "--show-detection")
BOOL_WORDS = _TRUE + _FALSE


def _help(field):
    return "%s [env %s; yaml %s]" % (field.help, field.env, field.key)


def _kinds():
    """``{option: "value" | "bool" | "switch"}`` of every launcher option (aliases included)."""
    kinds = dict((a, "switch") for a in ACTIONS)
    for field in FIELDS:
        if field.flag_kind in ("value", "append"):
            kinds[field.flag] = "value"
        elif field.flag_kind == "bool":
            kinds[field.flag] = "bool"
            kinds["--no-" + field.flag[2:]] = "switch"
    for alias, (primary, value) in LEGACY.items():
        kinds[alias] = "switch" if value is not None or kinds[primary] == "switch" else kinds[primary]
    return kinds


KINDS = _kinds()


def build_parser():
    """The argparse parser of the launcher's options (every default None: "not given", so the other sources
    show through). The target and its arguments are cut off first by :func:`split`."""
    parser = argparse.ArgumentParser(prog="nacos-register", description=DESCRIPTION, epilog=EPILOG,
                                     usage="%(prog)s [options] TARGET [args...]")
    for field in FIELDS:
        if field.flag_kind == "value":
            parser.add_argument(field.flag, dest=field.dest, metavar=field.metavar, help=_help(field))
        elif field.flag_kind == "append":
            parser.add_argument(field.flag, dest=field.dest, metavar=field.metavar, action="append",
                                help=_help(field))
        elif field.flag_kind == "bool":
            parser.add_argument(field.flag, dest=field.dest, action="store_const", const=True,
                                help=_help(field) + " (also %s true|false)" % field.flag)
            parser.add_argument("--no-" + field.flag[2:], dest=field.dest, action="store_const", const=False,
                                help="the opposite of %s" % field.flag)
    legacy = parser.add_argument_group("nacos-serving-python 0.1.3 names (aliases)")
    for alias in sorted(LEGACY):
        primary, value = LEGACY[alias]
        field = next(f for f in FIELDS if primary in (f.flag, "--no-" + (f.flag or "--")[2:]))
        shown = "%s %s" % (primary, value) if value is not None else primary
        if KINDS[alias] == "value":
            legacy.add_argument(alias, dest=field.dest, metavar=field.metavar, help="= " + shown)
        else:
            const = value if value is not None else False
            legacy.add_argument(alias, dest=field.dest, action="store_const", const=const, help="= " + shown)
    parser.add_argument("--dry-run", action="store_true",
                        help="print the merged settings (secrets masked) and exit without running anything")
    parser.add_argument("--show-config", action="store_true", help="the same as --dry-run")
    parser.add_argument("--show-detection", action="store_true",
                        help="print the service name, ip and port that would be registered, and exit")
    return parser


def _normal(name, value):
    """``--flag VALUE`` of a boolean option as the switch it means."""
    return [name if value.strip().lower() in _TRUE else "--no-" + name[2:]]


def _one(argv, i, strict):
    """``(tokens for argparse, next index)`` for the option at ``argv[i]``; None when it is not ours."""
    token = argv[i]
    name, eq, value = token.partition("=")
    kind = KINDS.get(name)
    if kind is None:
        return None
    if kind == "switch":
        return ([token] if not eq or strict else None), i + 1  # argparse rejects --switch=x
    if kind == "bool":
        if eq:
            if value.strip().lower() not in BOOL_WORDS:
                return [token], i + 1  # argparse says what is wrong
            return _normal(name, value), i + 1
        if i + 1 < len(argv) and argv[i + 1].strip().lower() in BOOL_WORDS:
            return _normal(name, argv[i + 1]), i + 2
        return [name], i + 1
    if eq:
        return [token], i + 1
    if i + 1 >= len(argv):
        return [token], i + 1  # argparse: "expected one argument"
    return [token, argv[i + 1]], i + 2


def split(argv):
    """``(options, target, args)``: the launcher's options (normalised for argparse), the target (or None)
    and everything after it. An unknown option before the target raises ValueError."""
    options, i = [], 0
    while i < len(argv):
        token = argv[i]
        if token in ("-h", "--help"):
            options.append(token)
            i += 1
            continue
        if token == "--":
            i += 1
            break
        if not token.startswith("-") or token == "-":
            break
        taken = _one(argv, i, True)
        if taken is None:
            raise ValueError("unrecognized arguments: %s" % token)
        options.extend(taken[0])
        i = taken[1]
    if i >= len(argv):
        return options, None, []
    return options, argv[i], list(argv[i + 1:])


def takes_options(target):
    """True when the launcher's options after ``target`` are read as its own: a script (``app.py``, a
    directory with ``__main__.py``) or ``module:app``; never after a console script such as gunicorn."""
    return target.endswith(".py") or ":" in target or os.path.isdir(target)


def script_argv(argv):
    """``argv`` (a script's ``sys.argv``) for the launcher's command line: its arguments behind ``--`` where
    :func:`take_options` would otherwise read them (a reloader restarting the script through the launcher)."""
    if len(argv) > 1 and takes_options(argv[0]):
        return [argv[0], "--"] + list(argv[1:])
    return list(argv)


def take_options(args):
    """``(options, rest, names)``: the launcher's options found in a script's arguments, the arguments left
    to the script, and the option names taken. Only the primary names are taken (``--debug`` or ``--group``
    after a script stay the script's), and nothing after ``--`` (the ``--`` itself is dropped)."""
    options, rest, names, i = [], [], [], 0
    while i < len(args):
        if args[i] == "--":
            rest.extend(args[i + 1:])
            break
        name = args[i].partition("=")[0]
        taken = None if name in LEGACY or name in ACTIONS else _one(args, i, False)
        if taken is None:
            rest.append(args[i])
            i += 1
            continue
        options.extend(taken[0])
        names.append(name)
        i = taken[1]
    return options, rest, names


def parse_options(argv, parser=None):
    """An argparse namespace of launcher options only (no target); errors exit through ``parser``."""
    parser = parser or build_parser()
    try:
        options, target, rest = split(list(argv))
    except ValueError as exc:
        parser.error(str(exc))
    if target is not None:
        parser.error("unrecognized arguments: %s" % " ".join([target] + rest))
    return parser.parse_args(options)
