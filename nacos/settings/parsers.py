"""Typed reads of config content: which format a config is in, and parsers that name the failing line.

Format, first that applies (see docs/settings.md):

1. the server's type (``Config-Type`` header of ``GET /v1/cs/configs``, ``contentType`` of
   ``GET /v3/client/cs/config``), unless it is ``text`` - Nacos's default for a publish without a type, so
   it says nothing;
2. the dataId's extension (``app.yaml``, ``app.yml``, ``app.json``, ``app.properties``, ``app.toml``,
   ``app.txt``);
3. the ``format`` the caller gave;
4. ``text``.

Every parser returns a dict (``text``: the content itself, see :func:`parse`) and raises
:class:`~nacos.exception.NacosConfigParseError` naming the dataId, group, format and line.
"""
from __future__ import absolute_import

import json
import re
import sys

from ..exception import NacosConfigParseError, NacosInvalidParam

FORMATS = ("json", "yaml", "properties", "toml", "text")
_ALIASES = {"yml": "yaml", "txt": "text", "props": "properties", "xml": "text", "html": "text"}
_EXTENSIONS = {"json": "json", "yaml": "yaml", "yml": "yaml", "properties": "properties", "toml": "toml",
               "txt": "text", "text": "text"}


def normalize_format(name, argument="format"):
    """``name`` as one of :data:`FORMATS` (aliases ``yml``, ``txt`` accepted; ``xml``/``html`` are text), or
    :class:`~nacos.exception.NacosInvalidParam` naming ``argument``. None stays None."""
    if name is None:
        return None
    text = str(name).strip().lower()
    text = _ALIASES.get(text, text)
    if text not in FORMATS:
        raise NacosInvalidParam(argument, "unknown config format %r (one of %s)" % (name, ", ".join(FORMATS)),
                                name)
    return text


def detect_format(data_id, server_type=None, default=None):
    """The format of config ``data_id``: the server's type (when not ``text``/unset), else the extension,
    else ``default``, else ``text``. An unknown server type (``xml``, ``html``) counts as ``text``."""
    if server_type:
        kind = _ALIASES.get(str(server_type).strip().lower(), str(server_type).strip().lower())
        if kind in FORMATS and kind != "text":
            return kind
    if "." in data_id:
        kind = _EXTENSIONS.get(data_id.rsplit(".", 1)[1].lower())
        if kind:
            return kind
    return normalize_format(default) or "text"


def parse(content, config_type, data_id="", group=""):
    """Parse ``content`` (text) as ``config_type``; a dict for json/yaml/toml/properties (an empty document is
    ``{}``), the text itself for ``text``. Raises NacosConfigParseError on invalid content, or when a
    json/yaml/toml document is not a mapping at the top."""
    config_type = normalize_format(config_type, "config_type")
    if config_type == "text":
        return content
    parser = _PARSERS[config_type]
    try:
        value = parser(content)
    except _ParseFailure as exc:
        raise NacosConfigParseError(data_id, group, config_type, exc.line, exc.reason)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NacosConfigParseError(data_id, group, config_type, 1,
                                    "the document is a %s, not a mapping of keys" % type(value).__name__)
    return value


class _ParseFailure(Exception):
    def __init__(self, line, reason):
        Exception.__init__(self, reason)
        self.line = line
        self.reason = reason


def _json(content):
    try:
        return json.loads(content)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)  # Python 3
        if line is None:
            exc = _py2_json_error(content, exc)
            found = re.search(r"line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        return _fail(line, getattr(exc, "msg", None) or str(exc).split(": line ")[0])


def _py2_json_error(content, exc):
    """Python 2's C scanner says only "No JSON object could be decoded"; its pure-Python scanner (used
    only after a failure) names the position."""
    from json import scanner
    decoder = json.JSONDecoder()
    decoder.scan_once = scanner.py_make_scanner(decoder)
    try:
        decoder.decode(content)
    except ValueError as detailed:
        return detailed
    return exc


def _fail(line, reason):
    raise _ParseFailure(line, reason)


def _yaml(content):
    try:
        import yaml
    except ImportError:
        raise NacosInvalidParam("format", "a YAML config needs the package 'pyyaml' (pip install pyyaml)")
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    try:
        return yaml.load(content, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
        return _fail(mark.line + 1 if mark is not None else None, reason or str(exc).splitlines()[0])


def _toml_loads():
    if sys.version_info >= (3, 11):
        import tomllib
        return tomllib.loads, tomllib.TOMLDecodeError
    try:
        import tomli
        return tomli.loads, tomli.TOMLDecodeError
    except ImportError:
        pass
    try:
        import toml
        return toml.loads, toml.TomlDecodeError
    except ImportError:
        raise NacosInvalidParam("format", "a TOML config needs Python 3.11+ or the package 'tomli' "
                                          "(pip install tomli)")


def _toml(content):
    loads, error = _toml_loads()
    try:
        return loads(content)
    except error as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        return _fail(line, str(exc).split(" (at line")[0])


_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def parse_properties(content):
    """A Java ``.properties`` document as a flat dict (``java.util.Properties.load`` rules): ``=``, ``:`` or
    whitespace separate key and value; ``#``/``!`` start comment lines; a line ending in an odd number of
    backslashes continues on the next (leading blanks dropped); escapes ``\\t \\n \\r \\f \\uXXXX`` and
    ``\\<char>``. A later duplicate key wins. Dotted keys stay flat (``a.b``)."""
    result = {}
    lines = content.splitlines()
    index = 0
    while index < len(lines):
        start = index + 1
        line = lines[index].lstrip(" \t\f")
        index += 1
        if not line or line[0] in "#!":
            continue
        while _continues(line) and index < len(lines):
            line = line[:-1] + lines[index].lstrip(" \t\f")
            index += 1
        if _continues(line):
            line = line[:-1]
        key, value = _split_property(line)
        result[_unescape(key, start)] = _unescape(value, start)
    return result


def _continues(line):
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _split_property(line):
    position = 0
    while position < len(line):
        char = line[position]
        if char == "\\":
            position += 2
            continue
        if char in "=: \t\f":
            break
        position += 1
    key = line[:position]
    if position < len(line) and line[position] in "=:":
        return key, line[position + 1:].lstrip(" \t\f")
    rest = line[position:].lstrip(" \t\f")
    if rest[:1] in ("=", ":"):  # "key = value": blanks, then one separator
        rest = rest[1:].lstrip(" \t\f")
    return key, rest


def _unescape(text, line):
    if "\\" not in text:
        return text
    out = []
    position = 0
    while position < len(text):
        char = text[position]
        if char != "\\" or position + 1 >= len(text):
            out.append(char)
            position += 1
            continue
        nxt = text[position + 1]
        if nxt == "u":
            digits = text[position + 2:position + 6]
            if len(digits) != 4 or not re.match(r"^[0-9a-fA-F]{4}$", digits):
                raise _ParseFailure(line, "malformed \\uxxxx escape %r" % text[position:position + 6])
            out.append(_unichr(int(digits, 16)))
            position += 6
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        position += 2
    return "".join(out)


def _unichr(code):
    try:
        return unichr(code)  # noqa: F821 - Python 2
    except NameError:
        return chr(code)


_PARSERS = {"json": _json, "yaml": _yaml, "toml": _toml, "properties": parse_properties}
