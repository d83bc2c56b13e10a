"""Output of the ``nacos`` command: aligned tables for people, JSON for scripts."""
from __future__ import absolute_import, print_function

import json
import sys

from ..compat import text_type


def emit_json(value):
    """One JSON document on one line (so a stream of them is JSON lines)."""
    write(json.dumps(value, sort_keys=True, ensure_ascii=False) + "\n")


def table(headers, rows):
    """Print ``rows`` (lists of values) under ``headers``, columns padded to their widest cell."""
    cells = [[text_type(h) for h in headers]] + [[u"" if v is None else text_type(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        write(u"  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + u"\n")


def pairs(rows):
    """Print ``(name, value)`` rows as two aligned columns, without a header."""
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        write(u"%s  %s\n" % (name.ljust(width), value))


def write(text):
    """Write text to stdout as UTF-8 whatever the locale, and flush (watch streams read line by line)."""
    stream = getattr(sys.stdout, "buffer", None)
    data = text.encode("utf-8") if isinstance(text, text_type) else text
    if stream is not None:
        stream.write(data)
    else:
        sys.stdout.write(data)
    sys.stdout.flush()


def error(message):
    """A one-line message on stderr, prefixed with the command name."""
    sys.stderr.write("nacos: %s\n" % (message,))
    sys.stderr.flush()
