"""A synchronous Nacos client over HTTP (the v1 OpenAPI, and the v3 API of Nacos 3.2+), drop-in for the legacy
``nacos.NacosClient``.

    import nacos
    client = nacos.NacosClient("127.0.0.1:8848", namespace="")
    client.publish_config("app.yaml", "DEFAULT_GROUP", "a: 1")
"""
from __future__ import absolute_import

import logging

from ._version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

from . import client as _client  # noqa: E402
from .client import DEFAULT_GROUP_NAME, DEFAULTS, NacosClient  # noqa: E402
from .exception import NacosException, NacosRequestException  # noqa: E402

_client.VERSION = __version__

__all__ = ["NacosClient", "NacosException", "NacosRequestException", "DEFAULTS", "DEFAULT_GROUP_NAME"]
