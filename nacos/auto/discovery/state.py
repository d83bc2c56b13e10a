"""The process-wide :class:`~.core.Discovery` behind the adapters' module-level functions.

Nothing connects at import time: :func:`get_discovery` builds the Discovery on first use (settings from the
shared loader - ``nacos.yaml``/``application.yaml`` and ``NACOS_*`` variables - when :func:`configure` was not
called), and the Discovery creates its NacosClient on the first lookup.
"""
from __future__ import absolute_import

import threading

from . import settings as S
from .core import Discovery

_lock = threading.Lock()
_current = [None]


def configure(settings=None, client=None, load=True, **options):
    """Set up the process-wide discovery and return it (replacing, and closing, the previous one).

    :param options: ``server`` (``"host:port,host:port"`` or a list), ``namespace``, ``username``,
        ``password``, ``access_key``, ``secret_key``, ``timeout`` (Nacos requests), ``group``, ``cluster``,
        ``metadata`` (instance filter, e.g. ``{"version": "2"}``), ``strategy`` (``round_robin``, ``random``,
        ``weighted_random``), ``retries``, ``empty_protection``, ``failure_ttl``, ``unknown_ttl``,
        ``services``/``passthrough`` (host patterns), ``aliases``, ``lookup_unknown``, ``seed``,
        ``client_options`` (extra NacosClient options). They override the shared settings file and env.
    :param settings: a :class:`nacos.auto.config.Settings` to start from instead of loading one.
    :param client: an existing :class:`nacos.NacosClient` to use (its server and namespace apply).
    :param load: False ignores the settings file and the environment.
    """
    discovery = Discovery(S.build(settings, load, **options), client=client)
    with _lock:
        previous, _current[0] = _current[0], discovery
    if previous is not None:
        previous.close()
    return discovery


def get_discovery():
    """The process-wide Discovery (built from the shared settings on first use)."""
    discovery = _current[0]
    if discovery is None:
        with _lock:
            discovery = _current[0]
            if discovery is None:
                discovery = _current[0] = Discovery(S.build())
    return discovery


def reset():
    """Close and forget the process-wide Discovery (the next use builds a new one)."""
    with _lock:
        previous, _current[0] = _current[0], None
    if previous is not None:
        previous.close()
