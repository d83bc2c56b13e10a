"""The exception tree. Every error the SDK raises is a :class:`NacosException`.

::

    NacosException
     +-- NacosInvalidParam (also ValueError)    bad argument, raised before any request
     +-- NacosRequestException                  the request did not get a usable answer
     |    +-- NacosConnectionError              a server could not be reached
     |    +-- NacosTimeout                      a server did not answer in time
     |    +-- NacosUnavailable                  every server was tried and none answered usefully
     +-- NacosHTTPError                         a server answered with a non-2xx status
     |    +-- NacosBadRequest (400)  NacosForbidden (403)  NacosNotFound (404)
     |    +-- NacosConflict (409)    NacosGone (410)  NacosServerError (5xx)
     +-- NacosResponseError                     a 2xx answer the SDK cannot parse
     +-- NacosConfigParseError                  a config's content is not valid for its type (nacos.settings)

Each carries ``status`` (HTTP status or None), ``method``, ``url`` (secrets removed) and
``server_message`` (the body the server sent, shortened).
"""
from __future__ import absolute_import

import re

from .compat import unquote_plus, urlsplit, urlunsplit

__all__ = [
    "NacosException", "NacosRequestException", "NacosConnectionError", "NacosTimeout",
    "NacosUnavailable", "NacosHTTPError", "NacosBadRequest", "NacosForbidden", "NacosNotFound",
    "NacosConflict", "NacosGone", "NacosServerError", "NacosResponseError", "NacosInvalidParam", "NacosLockTimeout",
    "NacosConfigParseError",
    "redact_url", "SECRET_PARAMS",
]

#: Query/form parameter names whose values never appear in messages, logs or exceptions (lower case).
SECRET_PARAMS = frozenset([
    "password", "accesstoken", "access_token", "token", "signature", "spas-signature", "sk",
    "secretkey", "secret_key", "spas-securitytoken", "securitytoken", "security_token",
])
_MAX_SERVER_MESSAGE = 500
_REDACTED = "***"


def redact_url(url):
    """Return ``url`` with user info and every secret query value replaced by ``***``."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = _REDACTED + "@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pieces = []
        for item in query.split("&"):
            name, sep, _value = item.partition("=")
            if unquote_plus(name).lower() in SECRET_PARAMS:
                item = name + "=" + _REDACTED
            pieces.append(item)
        query = "&".join(pieces)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


_TOKENISH = re.compile(r"(accessToken|password|signature|token)([\"']?\s*[:=]\s*[\"']?)([^\"'&\s,}]+)", re.I)


def _scrub(text):
    if text is None:
        return None
    text = _TOKENISH.sub(lambda m: m.group(1) + m.group(2) + _REDACTED, text)
    if len(text) > _MAX_SERVER_MESSAGE:
        text = text[:_MAX_SERVER_MESSAGE] + "...(%d chars)" % len(text)
    return text


class NacosException(Exception):
    """Root of every SDK error (legacy name kept).

    Positional arguments behave as for any exception (``NacosException("a", "b").args == ("a", "b")``);
    the first one is ``message``. The details are keywords:

    :param status: HTTP status, when a server answered.
    :param method: HTTP method of the failed request.
    :param url: the request URL; secrets are removed before it is stored.
    :param server_message: the server's answer body (shortened, secrets removed).
    """

    def __init__(self, *args, **kwargs):
        super(NacosException, self).__init__(*args)
        self.message = args[0] if args else ""
        self.status = kwargs.pop("status", None)
        self.method = kwargs.pop("method", None)
        self.url = redact_url(kwargs.pop("url", None))
        self.server_message = _scrub(kwargs.pop("server_message", None))
        if kwargs:
            raise TypeError("unexpected keyword arguments: %s" % ", ".join(sorted(kwargs)))

    def __str__(self):
        if len(self.args) > 1:
            return super(NacosException, self).__str__()
        text = self.message or self.__class__.__name__
        where = []
        if self.status is not None:
            where.append("HTTP %s" % self.status)
        if self.method:
            where.append(self.method)
        if self.url:
            where.append(self.url)
        if where:
            text = "%s [%s]" % (text, " ".join(where))
        if self.server_message and self.server_message not in text:
            text = "%s: %s" % (text, self.server_message.strip())
        return text

    def __reduce__(self):
        return (self.__class__, tuple(self.args), self.__dict__)


class NacosInvalidParam(NacosException, ValueError):
    """An argument is invalid; raised before any request is sent. ``argument`` names it."""

    def __init__(self, argument, message, value=None):
        super(NacosInvalidParam, self).__init__("invalid %s: %s" % (argument, message))
        self.argument = argument
        self.value = value

    def __reduce__(self):
        return (self.__class__, (self.argument, self.message), self.__dict__)


class NacosRequestException(NacosException):
    """The request did not get a usable answer (legacy name kept)."""


class NacosConnectionError(NacosRequestException):
    """A server refused or dropped the connection, or could not be resolved."""


class NacosTimeout(NacosRequestException):
    """A server accepted the connection but did not answer in time."""


class NacosUnavailable(NacosRequestException):
    """Every server was tried and none gave a usable answer.

    ``attempts`` lists ``(server_url, reason)`` for each try, in order.
    """

    def __init__(self, message="", attempts=(), **kwargs):
        super(NacosUnavailable, self).__init__(message, **kwargs)
        self.attempts = list(attempts)

    def __str__(self):
        text = super(NacosUnavailable, self).__str__()
        if self.attempts:
            text += "; tried: " + "; ".join("%s -> %s" % (s, r) for s, r in self.attempts)
        return text


class NacosLockTimeout(NacosException):
    """A lock was not acquired within its bound (its holder is stuck, or it was inherited across a fork)."""


class NacosHTTPError(NacosException):
    """A server answered with a status that is not 2xx."""


class NacosBadRequest(NacosHTTPError):
    """400: the server rejected the parameters."""


class NacosForbidden(NacosHTTPError):
    """403: authentication or authorisation failed."""


class NacosNotFound(NacosHTTPError):
    """404: the resource does not exist."""


class NacosConflict(NacosHTTPError):
    """409: the resource is busy (e.g. a config being modified)."""


class NacosGone(NacosHTTPError):
    """410: the server turned this API off (Nacos 3.x answers so to the v1 admin and console APIs)."""


class NacosServerError(NacosHTTPError):
    """5xx: the server failed."""


class NacosResponseError(NacosException):
    """A 2xx answer that the SDK cannot understand (truncated JSON, wrong type, ...)."""


class NacosConfigParseError(NacosException):
    """A config's content is not valid for its type (:mod:`nacos.settings`). ``data_id``, ``group``,
    ``config_type`` and ``line`` (1-based, None when the parser cannot tell) say where; ``reason`` what."""

    def __init__(self, data_id, group, config_type, line, reason):
        where = "line %s" % line if line else "unknown line"
        super(NacosConfigParseError, self).__init__("config %s (group %s) is not valid %s at %s: %s"
                                                    % (data_id, group, config_type, where, reason))
        self.data_id = data_id
        self.group = group
        self.config_type = config_type
        self.line = line
        self.reason = reason

    def __reduce__(self):
        return (self.__class__, (self.data_id, self.group, self.config_type, self.line, self.reason),
                self.__dict__)


_BY_STATUS = {400: NacosBadRequest, 403: NacosForbidden, 404: NacosNotFound, 409: NacosConflict, 410: NacosGone}


def http_error(status, method, url, body):
    """Build the exception for a non-2xx answer (used by the transport only)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = NacosServerError if status >= 500 else NacosHTTPError
    if status == 403:
        message = "Insufficient privilege."
    else:
        message = "Request Error, code is %s" % status
    return cls(message, status=status, method=method, url=url, server_message=body)
