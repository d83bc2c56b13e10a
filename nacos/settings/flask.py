"""Flask: keep ``app.config`` equal to a :class:`~nacos.settings.LiveSettings`, updated in place.

``bind(app, settings)`` writes every key as Flask's upper-case name (``db.host`` -> ``DB_HOST``, ``-`` -> ``_``)
and applies each change: added/modified keys are set, a removed key gets back the value ``app.config`` had
before Nacos set it (or is deleted). Flask is imported by the app, never here.
"""
from __future__ import absolute_import

import logging

from . import current
from ..compat import NO_AT_FORK
from ..forksafe import ForkSafeLock

logger = logging.getLogger(__name__)


def config_key(key):
    """The upper-case name a settings key has in ``app.config`` / Django settings: ``db.host`` -> ``DB_HOST``."""
    return key.replace(".", "_").replace("-", "_").upper()


class _Binder(object):
    """Applies settings to one dict-like config (``app.config``), remembering values it replaced."""

    def __init__(self, target, settings):
        self.target = target
        self.settings = settings
        self.originals = {}
        self.lock = ForkSafeLock("flask settings binder")

    def set(self, items):
        with self.lock:
            for key, value in items:
                name = config_key(key)
                if name not in self.originals:
                    self.originals[name] = self.target.get(name, _MISSING)
                self.target[name] = value

    def unset(self, keys):
        with self.lock:
            for key in keys:
                name = config_key(key)
                original = self.originals.pop(name, _MISSING)
                if original is _MISSING:
                    self.target.pop(name, None)
                else:
                    self.target[name] = original

    def __call__(self, change):
        self.set(list(change.added.items()) + [(k, new) for k, (_old, new) in change.modified.items()])
        self.unset(change.removed)


_MISSING = object()


def bind(app, settings=None):
    """Copy ``settings`` (default :func:`nacos.settings.current`) into ``app.config`` and keep it current.
    Returns the settings; ``app.extensions["nacos_settings"]`` holds them too."""
    settings = current() if settings is None else settings
    binder = _Binder(app.config, settings)
    binder.set(settings.snapshot().items())
    settings.on_change(binder)
    if NO_AT_FORK:  # 2.7/3.6, no at-fork hook: a forked worker's first request restarts the watchers
        app.before_request(settings.after_fork)
    app.extensions["nacos_settings"] = settings
    logger.info("app.config of %s bound to %r", getattr(app, "name", app), settings)
    return settings
