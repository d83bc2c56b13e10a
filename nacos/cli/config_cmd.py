"""``nacos config get|put|rm|ls|watch``: configs of one namespace from the shell."""
from __future__ import absolute_import

import io
import sys
import threading
import time

from ..compat import to_text
from . import common, output, transfer
from .codes import FAILED, OK, USAGE, CliError
from .progress import Progress

DEFAULT_GROUP = "DEFAULT_GROUP"


def add_parser(subparsers):
    """Register ``config`` and its subcommands."""
    sub = common.command(subparsers, "config", "read, write, list and watch the configs of a namespace")

    p = sub("get", get, "print the content of a config (exit 1 when it does not exist)")
    _key(p)
    p = sub("put", put, "publish a config from a file or stdin")
    _key(p)
    p.add_argument("file", nargs="?", default="-", help="file to publish ('-' or none: stdin)")
    p.add_argument("--type", dest="config_type", metavar="TYPE",
                   help="config type (default: from the file extension, e.g. .yaml -> yaml; stdin: text)")
    p = sub("rm", rm, "delete a config (succeeds when it does not exist)")
    _key(p)
    p = sub("ls", ls, "list the configs of the namespace")
    p.add_argument("--group", "-g", default="", help="only this group")
    p = sub("diff", diff, "compare a config with a local file: unified diff, exit 1 when they differ")
    _key(p)
    p.add_argument("file", help="local file ('-': stdin)")
    transfer.add_actions(sub)
    p = sub("watch", watch, "print the config now and at every change, until Ctrl-C")
    _key(p)


def _key(parser):
    parser.add_argument("data_id", metavar="DATA_ID")
    parser.add_argument("--group", "-g", default=DEFAULT_GROUP, help="group (default DEFAULT_GROUP)")


def get(client, args):
    content = client.get_config(args.data_id, args.group)
    if content is None:
        raise CliError("config %s (group %s) not found" % (args.data_id, args.group), FAILED)
    if args.json:
        output.emit_json({"data_id": args.data_id, "group": args.group, "content": content})
    else:
        output.write(content)
    return OK


def _read_input(path):
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        return to_text(stream.read())
    try:
        with io.open(path, "rb") as fp:
            return to_text(fp.read())
    except (IOError, OSError) as exc:
        raise CliError("cannot read %s: %s" % (path, exc.strerror or exc), USAGE)


def put(client, args):
    content = _read_input(args.file)
    config_type = args.config_type or transfer.detect_type(args.file)
    client.publish_config(args.data_id, args.group, content, config_type=config_type)
    if args.json:
        output.emit_json({"data_id": args.data_id, "group": args.group, "type": config_type,
                          "bytes": len(content.encode("utf-8")), "published": True})
    else:
        output.write(u"published %s (group %s, type %s, %d bytes)\n"
                     % (args.data_id, args.group, config_type, len(content.encode("utf-8"))))
    return OK


def rm(client, args):
    client.remove_config(args.data_id, args.group)
    if args.json:
        output.emit_json({"data_id": args.data_id, "group": args.group, "removed": True})
    else:
        output.write(u"removed %s (group %s)\n" % (args.data_id, args.group))
    return OK


def ls(client, args):
    with Progress(args, u"listing configs") as progress:
        items = transfer.list_configs(client, args.group, progress)
    rows = sorted((item.get("dataId"), item.get("group"), item.get("type") or "",
                   len((item.get("content") or "").encode("utf-8"))) for item in items)
    if args.json:
        output.emit_json([{"data_id": d, "group": g, "type": t or None, "bytes": n} for d, g, t, n in rows])
    else:
        output.table(["DATA_ID", "GROUP", "TYPE", "BYTES"], rows)
    return OK


def diff(client, args):
    import difflib
    local = _read_input(args.file)
    remote = client.get_config(args.data_id, args.group)
    lines = list(difflib.unified_diff((remote or u"").splitlines(True), local.splitlines(True),
                                      fromfile=u"nacos:%s/%s" % (args.group, args.data_id)
                                      + (u"" if remote is not None else u" (does not exist)"),
                                      tofile=args.file if args.file != "-" else u"<stdin>"))
    same = remote is not None and not lines
    if args.json:
        output.emit_json({"data_id": args.data_id, "group": args.group, "exists": remote is not None,
                          "same": same, "diff": u"".join(lines)})
    else:
        output.write(u"".join(line if line.endswith(u"\n") else line + u"\n\\ No newline at end of file\n"
                              for line in lines))
    return OK if same else FAILED


def watch(client, args):
    lock = threading.Lock()

    def changed(params):
        content = params.get("content")
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        with lock:
            if args.json:
                output.emit_json({"time": stamp, "data_id": args.data_id, "group": args.group,
                                  "deleted": content is None, "content": content})
            elif content is None:
                output.write(u"--- %s %s (group %s): deleted\n" % (stamp, args.data_id, args.group))
            else:
                output.write(u"--- %s %s (group %s): %d bytes\n%s%s"
                             % (stamp, args.data_id, args.group, len(content.encode("utf-8")), content,
                                u"" if content.endswith(u"\n") else u"\n"))

    current = client.get_config(args.data_id, args.group)  # fails early (exit 3) when no server answers
    if current is None and not args.json:
        output.write(u"--- %s (group %s): does not exist yet, waiting\n" % (args.data_id, args.group))
    client.add_config_watcher(args.data_id, args.group, changed)
    common.wait_for_interrupt()
    return OK
