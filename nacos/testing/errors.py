"""Responses and the error shapes a real Nacos 2.x server produces.

* ``HttpError`` carries a complete error response; route code raises it and the
  handler renders it.
* ``plain(...)`` is a text body (config/naming controller errors, param checker).
* ``spring_error(...)`` is the Spring Boot ``/error`` JSON that filters produce via
  ``resp.sendError`` (auth 403, unknown path 404, wrong method 405).
* ``missing_request_param(...)`` is Spring's ``MissingServletRequestParameterException``
  rendered by the global console handler: 500, HTML-escaped ``caused: ...;``.
* ``naming_runtime(...)`` is the 2.x ``NacosRuntimeException`` body
  ``errCode: 400, errMsg: <msg> ``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import time

from ._compat import binary_type, text_type

TEXT_PLAIN = "text/plain;charset=UTF-8"
TEXT_HTML = "text/html;charset=UTF-8"
APPLICATION_JSON = "application/json;charset=UTF-8"
NAMING_JSON = "application/json"  # 2.x naming controllers answer JSON without a charset

_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 410: "Gone", 500: "Internal Server Error",
    501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
}


def reason(status):
    """The HTTP reason phrase for ``status`` (``"Unknown"`` if not known)."""
    if 200 <= status < 300:
        return "OK"
    return _REASONS.get(status, "Unknown")


def dumps(obj):
    """Compact JSON text (UTF-8 characters kept as they are)."""
    out = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    if isinstance(out, binary_type):  # pragma: no cover - Python 2 with pure-ASCII input
        out = out.decode("utf-8")
    return out


class Response(object):
    """A complete HTTP answer: ``status``, ``body`` (text or bytes), extra ``headers``."""

    __slots__ = ("status", "body", "headers", "content_type")

    def __init__(self, status=200, body="", content_type=TEXT_PLAIN, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or []

    def body_bytes(self):
        """The body encoded as UTF-8 bytes."""
        if isinstance(self.body, text_type):
            return self.body.encode("utf-8")
        return self.body or b""


def ok_text(body):
    """200 with a plain-text body (``ok``, ``true``...)."""
    return Response(200, body, TEXT_PLAIN)


def ok_json(obj, content_type=APPLICATION_JSON):
    """200 with a JSON body."""
    return Response(200, dumps(obj), content_type)


class HttpError(Exception):
    """Raised by route code to answer with ``response`` at once."""

    def __init__(self, response):
        Exception.__init__(self, response.status)
        self.response = response


def plain(status, message):
    """An ``HttpError`` with a plain-text body."""
    return HttpError(Response(status, message, TEXT_PLAIN))


def caused(status, message):
    """Config controller style: ``caused: <message>;`` (ExceptionUtil.getAllExceptionMsg)."""
    return plain(status, "caused: %s;" % message)


def html_escape(text):
    """Spring's ``HtmlUtils.htmlEscape`` for the characters that matter here."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def missing_request_param(name, type_name="String"):
    """A missing ``@RequestParam`` in a config/console controller (2.x): 500, HTML-escaped."""
    msg = "caused: Required request parameter '%s' for method parameter type %s is not present;" % (
        name, type_name)
    return HttpError(Response(500, html_escape(msg), TEXT_PLAIN))


def naming_missing_param(name):
    """A missing ``@RequestParam`` in a naming controller: 400 ``Parameter 'x' is missing``."""
    return plain(400, "Parameter '%s' is missing" % name)


def naming_caused(status, message):
    """A 2.x naming controller error as the global handler renders it: ``caused: <msg>;``, HTML-escaped
    (observed on 2.3.2: 400 for a missing parameter, 500 for a bad cluster/weight or an unknown instance)."""
    return plain(status, html_escape("caused: %s;" % message))


def naming_required(name):
    """``WebUtils.required`` failing: 400 ``caused: Param 'x' is required.;``"""
    return plain(400, "caused: Param '%s' is required.;" % name)  # not HTML-escaped on 2.3.2


def naming_runtime(message):
    """A 2.x ``NacosRuntimeException(400)`` body (note the trailing space)."""
    return plain(400, "errCode: 400, errMsg: %s " % message)


def _timestamp():
    now = time.time()
    ms = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03d+00:00" % ms


def spring_error(status, message, path, error=None):
    """The Spring Boot error JSON ``{"timestamp","status","error","message","path"}``."""
    body = {
        "timestamp": _timestamp(),
        "status": status,
        "error": error or reason(status),
        "message": message,
        "path": path,
    }
    return HttpError(Response(status, dumps(body), APPLICATION_JSON))
