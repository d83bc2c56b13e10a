"""Zero-code registration of Flask, Django and FastAPI apps (docs/auto-registration.md).

Explicit integrations (the primary path): gunicorn server hooks (:mod:`nacos.auto.gunicorn`), an ASGI
lifespan (:mod:`nacos.auto.asgi_lifespan`), a Django app (``"nacos.auto.django"`` in ``INSTALLED_APPS``).

Zero-code entry points, the same behaviour:

* ``python -m nacos.auto.registration [options] app.py`` (or ``nacos-register``): the launcher;
* ``import nacos.auto.registration.enabled`` at the top of the app: the import trigger;
* ``nacos.auto.middleware.wsgi.inject_wsgi_middleware(app)`` / ``nacos.auto.middleware.asgi
  .inject_asgi_middleware(app)``: explicit middleware.

Settings come from :func:`nacos.auto.config.load_settings` (CLI > env > nacos.yaml > defaults); the
process-wide registration lives in :mod:`nacos.auto.runtime`; :func:`nacos.auto.hooks.activate` is what every
entry point calls.
"""
