"""Django: settings from Nacos, read at start by ``settings.py`` and, for the keys that may change at runtime,
refreshed on ``django.conf.settings``.

In ``settings.py``::

    from nacos.settings.django import load_into
    NACOS_SETTINGS = load_into(globals(), client, [("app.yaml", "DEFAULT_GROUP")])

Every key becomes a module-level setting by its upper-case name (``db.host`` -> ``DB_HOST``), so Django reads
them as it reads any setting. Later changes are set on ``django.conf.settings`` (and Django's
``setting_changed`` signal is sent, which clears Django's own caches of that setting), EXCEPT the settings
Django reads once at startup (:data:`RESTART_REQUIRED`: apps, databases, middleware, URLs, templates, ...):
a change to one of those is logged as a warning and applied only by a restart. Code that needs the newest
value reads ``settings.FOO`` at use time (not ``FOO = settings.FOO`` at import time).
"""
from __future__ import absolute_import

import logging

from .flask import config_key
from .live import LiveSettings

logger = logging.getLogger(__name__)

#: settings Django reads once while starting: changed only by a restart
RESTART_REQUIRED = frozenset([
    "INSTALLED_APPS", "DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "ROOT_URLCONF",
    "TEMPLATES", "CACHES", "AUTH_USER_MODEL", "AUTHENTICATION_BACKENDS", "SECRET_KEY", "WSGI_APPLICATION",
    "ASGI_APPLICATION", "STATIC_ROOT", "STATIC_URL", "STATICFILES_DIRS", "STATICFILES_STORAGE", "STORAGES",
    "MEDIA_ROOT", "MEDIA_URL", "LOGGING", "LOGGING_CONFIG", "USE_TZ", "TIME_ZONE", "USE_I18N", "LANGUAGES",
    "LOCALE_PATHS", "DEFAULT_AUTO_FIELD", "SESSION_ENGINE", "CSRF_USE_SESSIONS", "MIGRATION_MODULES",
    "FIXTURE_DIRS", "SETTINGS_MODULE",
])


def load_into(namespace, client, sources=None, prefix=None, frozen=False, settings=None):
    """Load ``sources`` (or use ``settings``, a LiveSettings) and put every key into ``namespace`` (the
    ``globals()`` of settings.py) by its upper-case name; later changes go to ``django.conf.settings`` (see
    the module docstring). Returns the LiveSettings."""
    if settings is None:
        settings = LiveSettings(client, sources, prefix=prefix, frozen=frozen)
    for key, value in settings.snapshot().items():
        namespace[config_key(key)] = value
    settings.on_change(_Applier(namespace))
    return settings


class _Applier(object):
    def __init__(self, namespace):
        self.namespace = namespace

    def __call__(self, change):
        from django.conf import settings as django_settings
        updates = [(config_key(k), v, True) for k, v in change.added.items()]
        updates += [(config_key(k), new, True) for k, (_old, new) in change.modified.items()]
        updates += [(config_key(k), None, False) for k in change.removed]
        for name, value, present in updates:
            if name in RESTART_REQUIRED:
                logger.warning("Django setting %s changed in Nacos; it takes effect after a restart", name)
                continue
            if present:
                self.namespace[name] = value
                setattr(django_settings, name, value)
            else:
                self.namespace.pop(name, None)
                try:
                    delattr(django_settings, name)
                except AttributeError:
                    pass
            _signal(name, value if present else None, present)


def _signal(name, value, present):
    from django.core.signals import setting_changed
    from django.conf import settings as django_settings
    setting_changed.send(sender=django_settings._wrapped.__class__, setting=name, value=value, enter=present)
