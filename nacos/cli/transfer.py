"""``nacos config export|import``: every config of a namespace to or from a directory or a ``.zip``.

Layout: ``<group>/<dataId>`` files (UTF-8) plus ``nacos-export.json``, which lists each config with its type;
import publishes every listed file (or, without that index, every ``<group>/<dataId>`` file, the type from its
extension).
"""
from __future__ import absolute_import

import io
import json
import os
import zipfile

from ..compat import to_text
from . import output
from .progress import Progress
from .codes import OK, USAGE, CliError

# file extension -> Nacos config type (the types the Nacos console offers)
TYPES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xml": "xml", ".properties": "properties",
         ".html": "html", ".htm": "html", ".txt": "text", ".toml": "toml"}


def detect_type(path):
    """The Nacos config type for a file name: by extension, ``text`` when unknown or stdin."""
    return TYPES.get(os.path.splitext(path)[1].lower(), "text")


def list_configs(client, group="", progress=None):
    """Every config of the namespace (all pages), as the client's page items."""
    items, page = [], 1
    while True:
        answer = client.get_configs(group=group, page_no=page, page_size=500, no_snapshot=True)
        items.extend(answer.get("pageItems") or [])
        if progress is not None:
            progress.update(u"listing configs: %d of %s" % (len(items), answer.get("totalCount", "?")))
        if page >= (answer.get("pagesAvailable") or 1):
            return items
        page += 1


INDEX = "nacos-export.json"


def add_actions(sub):
    p = sub("export", export, "write every config of the namespace to a directory or a .zip file")
    p.add_argument("target", metavar="DIR|FILE.zip")
    p.add_argument("--group", "-g", default="", help="only this group")
    p = sub("import", import_, "publish every config of a directory or a .zip file made by export")
    p.add_argument("source", metavar="DIR|FILE.zip")


def export(client, args):
    with Progress(args, u"listing configs") as progress:
        items = list_configs(client, args.group, progress)
    items = sorted(items, key=lambda i: (i.get("group"), i.get("dataId")))
    files = dict(("%s/%s" % (i["group"], i["dataId"]), i.get("content") or u"") for i in items)
    index = [{"data_id": i["dataId"], "group": i["group"], "type": i.get("type") or "text",
              "file": "%s/%s" % (i["group"], i["dataId"])} for i in items]
    files[INDEX] = json.dumps({"namespace": client.namespace, "configs": index}, indent=1, sort_keys=True)
    if args.target.endswith(".zip"):
        with zipfile.ZipFile(args.target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(files.items()):
                archive.writestr(name, content.encode("utf-8"))
    else:
        for name, content in files.items():
            path = os.path.join(args.target, *name.split("/"))
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            with io.open(path, "wb") as fp:
                fp.write(content.encode("utf-8"))
    _report(args, "exported", index, args.target)
    return OK


def _read_source(source):
    """``{"group/dataId": text}`` of a directory or a zip."""
    files = {}
    if source.endswith(".zip") and os.path.isfile(source):
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if not name.endswith("/"):
                    files[name] = to_text(archive.read(name))
        return files
    if not os.path.isdir(source):
        raise CliError("%s is neither a directory nor a .zip file" % (source,), USAGE)
    for root, _, names in os.walk(source):
        for name in names:
            path = os.path.join(root, name)
            with io.open(path, "rb") as fp:
                files[os.path.relpath(path, source).replace(os.sep, "/")] = to_text(fp.read())
    return files


def import_(client, args):
    files = _read_source(args.source)
    if INDEX in files:
        index = json.loads(files[INDEX])["configs"]
    else:
        index = [{"group": name.split("/")[0], "data_id": name.split("/")[1], "type": detect_type(name),
                  "file": name} for name in sorted(files) if name.count("/") == 1]
    with Progress(args, u"importing") as progress:
        for number, entry in enumerate(index):
            progress.update(u"importing %d/%d: %s/%s" % (number + 1, len(index), entry["group"], entry["data_id"]))
            client.publish_config(entry["data_id"], entry["group"], files[entry["file"]],
                                  config_type=entry["type"])
    _report(args, "imported", index, args.source)
    return OK


def _report(args, what, index, where):
    if args.json:
        output.emit_json({what: [{"data_id": e["data_id"], "group": e["group"], "type": e["type"]} for e in index],
                          "path": where})
    else:
        output.write(u"%s %d configs %s %s\n" % (what, len(index), "to" if what == "exported" else "from", where))
