"""``nacos.testing`` - a pure-Python, in-process, Nacos 2.x compatible v1 HTTP server.

Use it in tests (yours and the SDK's) and in the quickstart::

    from nacos.testing import NacosServer

    with NacosServer() as srv:
        client = NacosClient(srv.address, ...)

It implements the v1 OpenAPI a client needs (configs, long polling, namespaces,
instances, heartbeats, services, UDP push, auth) with the real server's response
shapes, status codes and error bodies, plus knobs for fault injection
(``fail_next``, ``delay``, ``drop_next``) and introspection (``request_log``,
``push_log``). It also serves the 3.x client, admin and auth APIs (``/v3/...``) on the
same data; ``NacosServer(v1=False)`` plays a Nacos 3.2+ without the v1 APIs (every v1
API answers HTTP 410). It shares no code with the client SDK and needs only the stdlib.
See docs/embedded-server.md. Run it standalone with ``python -m nacos.testing [--no-v1]``.
"""
from __future__ import absolute_import

from .server import NacosServer

__all__ = ["NacosServer"]
