"""HTTP library adapters that send service-name URLs to Nacos instances.

* :mod:`.urllib`: ``urlopen``, ``build_opener``, ``DiscoveryHTTPHandler``/``DiscoveryHTTPSHandler``
* :mod:`.requests`: ``get``/``post``/... on a shared pooled session, ``Session``, ``DiscoveryAdapter``
* :mod:`.httpx` (Python 3): ``Client``, ``AsyncClient``, ``DiscoveryTransport``, ``AsyncDiscoveryTransport``
* :mod:`.aiohttp` (Python 3): ``get_session``, ``DiscoverySession``

Importing any of them makes no network call.
"""
from __future__ import absolute_import

from .. import Discovery, DiscoveryError, NoInstanceError, configure, get_discovery, reset

__all__ = ["Discovery", "DiscoveryError", "NoInstanceError", "configure", "get_discovery", "reset"]
