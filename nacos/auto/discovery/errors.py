"""Errors of the discovery adapters (all are :class:`nacos.NacosException`).

Connection failures of the instances themselves are NOT wrapped: after the retries the adapter raises the
HTTP library's own exception (``requests.ConnectionError``, ``urllib.error.URLError``, ``httpx.ConnectError``,
``aiohttp.ClientConnectorError``), so existing ``except`` clauses keep working.
"""
from __future__ import absolute_import

from ...exception import NacosException


class DiscoveryError(NacosException):
    """A service name could not be turned into an instance address."""


class NoInstanceError(DiscoveryError, LookupError):
    """A service has no instance to send the request to.

    Attributes: ``service``, ``group``, ``namespace``, ``clusters``, ``metadata``, ``port`` (the filters that
    applied) and ``counts`` (registered / usable / after the metadata filter / after the port filter).
    """

    def __init__(self, service, group, namespace, clusters="", metadata=None, port=None, counts=None):
        parts = ["service '%s' (group '%s', namespace '%s'" % (service, group, namespace or "public")]
        if clusters:
            parts.append(", clusters '%s'" % (clusters,))
        if metadata:
            parts.append(", metadata %s" % ", ".join("%s=%s" % kv for kv in sorted(dict(metadata).items())))
        if port is not None:
            parts.append(", port %s" % (port,))
        detail = ""
        if counts:
            detail = ": %d registered, %d healthy and enabled" % (counts[0], counts[1])
            if metadata:
                detail += ", %d matching the metadata" % counts[2]
            if port is not None:
                detail += ", %d on port %s" % (counts[3], port)
        DiscoveryError.__init__(self, "no usable instance of %s)%s" % ("".join(parts), detail))
        self.service = service
        self.group = group
        self.namespace = namespace
        self.clusters = clusters
        self.metadata = dict(metadata or {})
        self.port = port
        self.counts = counts

    def __reduce__(self):
        return (self.__class__, (self.service, self.group, self.namespace, self.clusters, self.metadata,
                                 self.port, self.counts))
