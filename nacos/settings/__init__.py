"""Live application settings from Nacos configs (see docs/settings.md).

* :class:`~nacos.settings.live.LiveSettings`: sources merged in order, parsed by type, refreshed by the
  watcher pool, readable without locks; ``frozen=True`` for read-at-start only.
* :func:`~nacos.settings.parsers.parse` / :func:`~nacos.settings.parsers.detect_format`: typed reads.
* Integrations, imported only when used: :mod:`nacos.settings.flask`, :mod:`nacos.settings.django`,
  :mod:`nacos.settings.fastapi`.
* :func:`current`: the settings the zero-code launcher (``nacos-register``, ``config:`` in nacos.yaml)
  loaded before importing the application.
"""
from __future__ import absolute_import

from .live import Change, LiveSettings, Source, flatten, nest
from .parsers import FORMATS, detect_format, parse
from ..exception import NacosConfigParseError, NacosException

__all__ = ["LiveSettings", "Source", "Change", "load", "current", "set_current", "parse", "detect_format",
           "flatten", "nest", "FORMATS", "NacosConfigParseError"]

_current = [None]


def load(client, sources, prefix=None, frozen=False):
    """Read ``sources`` with ``client`` and return a started :class:`LiveSettings` (a mapping)."""
    return LiveSettings(client, sources, prefix=prefix, frozen=frozen)


def set_current(settings):
    """Make ``settings`` what :func:`current` returns (the zero-code launcher does this)."""
    _current[0] = settings


def current():
    """The process's :class:`LiveSettings` set by the zero-code launcher or :func:`set_current`; raises
    NacosException when there is none."""
    if _current[0] is None:
        raise NacosException("no live settings: list config sources in nacos.yaml (config: sources:), "
                             "--config-source or NACOS_CONFIG_SOURCES, or call nacos.settings.set_current()")
    return _current[0]
