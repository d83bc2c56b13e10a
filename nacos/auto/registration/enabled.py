"""``import nacos.auto.registration.enabled`` (first thing in app.py, manage.py, wsgi.py or asgi.py) turns
registration on: Flask and FastAPI apps created afterwards, and Django's ``get_wsgi_application()``,
``get_asgi_application()`` and runserver, register with the settings from the environment and
``nacos.yaml`` (see docs/auto-registration.md). A bad setting is said in one line on stderr and the app
runs unregistered."""
from __future__ import absolute_import

from ..hooks import activate

registration = activate()
