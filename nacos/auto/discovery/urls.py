"""URL pieces and the host rule.

:func:`split` cuts an absolute URL into ``(scheme, userinfo, host, port, tail)`` without touching the
path, query or fragment (``tail`` is kept byte for byte) and without lower-casing the host; :func:`join`
puts an instance's address in place of the host. :func:`classify` decides what a host is:

1. IP literals (v4 or v6), ``localhost`` and ``*.localhost``: never a service (DNS/direct).
2. a configured alias (``aliases={"orders": "OrderService"}``): that service, always.
3. a ``passthrough`` pattern (fnmatch, e.g. ``*.com``): never a service.
4. a ``services`` pattern: a service, always (no instance -> :class:`NoInstanceError`, never DNS).
5. anything else that is a valid service name: a *candidate*, looked up in the registry when
   ``lookup_unknown`` is on (else it goes to DNS).
"""
from __future__ import absolute_import

import fnmatch
import re

from ... import params as P
from ...exception import NacosInvalidParam

DEFAULT_PORTS = {"http": 80, "https": 443}
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_AUTHORITY_END = re.compile(r"[/?#]")

PASS, SERVICE, CANDIDATE = "pass", "service", "candidate"


def split(url):
    """``(scheme, userinfo, host, port, tail)`` of an absolute URL, or None when it has no ``//``
    authority. ``userinfo`` keeps its ``@`` (``"u:p@"`` or ``""``); ``port`` is an int or None (also None
    when it is the scheme's default port, which some HTTP libraries drop)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    end = _AUTHORITY_END.search(rest)
    authority, tail = (rest[:end.start()], rest[end.start():]) if end else (rest, "")
    at = authority.rfind("@")
    userinfo, hostport = authority[:at + 1], authority[at + 1:]
    if hostport.startswith("["):
        close = hostport.find("]")
        host, port_text = hostport[1:close], hostport[close + 1:].lstrip(":")
    else:
        host, _, port_text = hostport.partition(":")
    port = int(port_text) if port_text.isdigit() else None
    if port is not None and DEFAULT_PORTS.get(scheme.lower()) == port:
        port = None
    return scheme, userinfo, host, port, tail


def join(parts, ip, port):
    """The URL of ``parts`` with the instance ``ip:port`` as its authority (userinfo kept)."""
    host = "[%s]" % ip if ":" in ip else ip
    return "%s://%s%s:%s%s" % (parts[0], parts[1], host, port, parts[4])


def is_ip_or_local(host):
    lower = host.lower()
    return (":" in host or bool(_IPV4.match(host)) or lower == "localhost" or lower.endswith(".localhost")
            or lower.endswith(".localhost."))


def classify(host, settings):
    """``(kind, service_name)``: kind is :data:`PASS`, :data:`SERVICE` or :data:`CANDIDATE`."""
    if not host or is_ip_or_local(host):
        return PASS, None
    lower = host.lower()
    alias = settings.aliases.get(lower)
    if alias is not None:
        return SERVICE, alias
    if any(fnmatch.fnmatchcase(lower, p) for p in settings.passthrough):
        return PASS, None
    try:
        name = P.service_name(host)
    except NacosInvalidParam:
        return PASS, None
    if any(fnmatch.fnmatchcase(lower, p) for p in settings.services):
        return SERVICE, name
    return (CANDIDATE, name) if settings.lookup_unknown else (PASS, None)
