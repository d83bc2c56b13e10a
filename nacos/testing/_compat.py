"""Python 2/3 differences for the embedded server, kept in one place.

The embedded server deliberately shares no code with the client SDK (not even its
compat module), so a bug cannot hide by appearing on both sides.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys
import time

PY2 = sys.version_info[0] == 2

if PY2:  # pragma: no cover - exercised on 2.7 only
    text_type = unicode  # noqa: F821
    binary_type = str
    import BaseHTTPServer as _http_server
    import SocketServer as socketserver  # noqa: F401
    import Queue as queue  # noqa: F401
    from urllib import unquote as _unquote, quote_plus as _quote_plus
    BaseHTTPRequestHandler = _http_server.BaseHTTPRequestHandler
    HTTPServer = _http_server.HTTPServer

    def unquote_to_bytes(value):
        """Percent-decode ``value`` (bytes or text) into bytes."""
        if isinstance(value, text_type):
            value = value.encode("utf-8")
        return _unquote(value)

    def quote_plus_text(value, safe=""):
        """URL-encode text like Java's URLEncoder (UTF-8, space as '+')."""
        return _quote_plus(value.encode("utf-8"), safe=safe.encode("ascii")).decode("ascii")
else:
    text_type = str
    binary_type = bytes
    import http.server as _http_server
    import socketserver  # noqa: F401
    import queue  # noqa: F401
    from urllib.parse import unquote_to_bytes, quote_plus as _quote_plus  # noqa: F401
    BaseHTTPRequestHandler = _http_server.BaseHTTPRequestHandler
    HTTPServer = _http_server.HTTPServer

    def quote_plus_text(value, safe=""):
        """URL-encode text like Java's URLEncoder (UTF-8, space as '+')."""
        return _quote_plus(value, safe=safe, encoding="utf-8")

try:
    monotonic = time.monotonic
except AttributeError:  # pragma: no cover - Python 2.7
    monotonic = time.time


def to_text(value, encoding="utf-8"):
    """Return ``value`` as text, decoding bytes with ``encoding`` (errors replaced)."""
    if value is None:
        return None
    if isinstance(value, binary_type):
        return value.decode(encoding, "replace")
    return text_type(value)


def form_decode(raw):
    """Decode an ``application/x-www-form-urlencoded`` string (bytes or text).

    Returns a list of ``(name, value)`` text pairs in order; ``+`` means space and
    percent escapes are UTF-8, like a servlet container decoding a form.
    """
    if isinstance(raw, text_type):
        raw = raw.encode("latin-1", "replace")
    pairs = []
    if not raw:
        return pairs
    for part in raw.split(b"&"):
        if not part:
            continue
        if b"=" in part:
            name, value = part.split(b"=", 1)
        else:
            name, value = part, b""
        name = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
        value = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8", "replace")
        pairs.append((name, value))
    return pairs
