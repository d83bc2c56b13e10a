"""Call services by name: ``http://orders/api/1`` goes to a healthy instance of the Nacos service ``orders``.

Adapters in :mod:`nacos.auto.discovery.ext` (urllib, requests, httpx, aiohttp); set-up with :func:`configure`
(or the shared ``nacos.yaml`` / ``NACOS_*`` settings); the rules are in docs/discovery.md.
"""
from __future__ import absolute_import

from .core import Discovery
from .errors import DiscoveryError, NoInstanceError
from .state import configure, get_discovery, reset

__all__ = ["Discovery", "DiscoveryError", "NoInstanceError", "configure", "get_discovery", "reset"]
