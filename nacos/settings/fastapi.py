"""FastAPI / pydantic: a typed settings model kept current, and a pydantic-settings source.

``LiveModel(settings, Model)`` validates ``settings.as_dict()`` (nested: ``db.host`` is ``{"db": {"host"}}``)
into ``Model`` now and after each change; a change the model rejects is logged and the last good model kept.
Calling it returns the current model, so it is a FastAPI dependency::

    app_settings = LiveModel(live, AppSettings)

    @app.get("/")
    def index(cfg: AppSettings = Depends(app_settings)): ...

``settings_source(live)`` is a source for pydantic-settings' ``settings_customise_sources`` (Nacos values
ranked where it is placed in the returned tuple). pydantic is imported by the app, never here.
"""
from __future__ import absolute_import

import logging

from . import current

logger = logging.getLogger(__name__)


class LiveModel(object):
    """The current ``model_cls`` instance built from a LiveSettings; ``model_cls`` is a pydantic model (v1 or
    v2) or any class taking the settings as keyword arguments."""

    def __init__(self, settings=None, model_cls=None):
        if model_cls is None:
            raise TypeError("LiveModel needs the model class")
        self.settings = current() if settings is None else settings
        self.model_cls = model_cls
        self.error = None
        self._model = self._build()  # raises: an invalid start is the app's to see
        self.settings.on_change(self._changed)

    def _build(self):
        return self.model_cls(**self.settings.as_dict())

    def _changed(self, change):
        try:
            model = self._build()
        except Exception as exc:  # pydantic.ValidationError, TypeError: keep the last good model
            self.error = exc
            logger.error("settings change %s rejected by %s, keeping the last good values: %s", change.keys,
                         self.model_cls.__name__, _without_values(exc))
            return
        self.error = None
        self._model = model

    @property
    def model(self):
        return self._model

    def __call__(self):
        return self._model


class _Source(object):
    def __init__(self, settings):
        self.settings = settings

    def __call__(self):
        return self.settings.as_dict()

    def __repr__(self):
        return "NacosSettingsSource(%r)" % (self.settings,)


def settings_source(settings=None):
    """A pydantic-settings source (a callable returning the nested values) of ``settings`` (default
    :func:`nacos.settings.current`)."""
    return _Source(current() if settings is None else settings)


def _without_values(exc):
    """What failed, without the values (a pydantic error's text quotes the input: config content, maybe a
    secret): the field and error type of each error, else the exception's class name."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            return "; ".join("%s: %s" % (".".join(str(p) for p in e.get("loc", ())), e.get("type"))
                             for e in errors())
        except Exception:  # noqa: BLE001 - fall back to the class name
            pass
    return type(exc).__name__
