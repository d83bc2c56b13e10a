"""Django's wsgi.py with the explicit middleware (Python 2.7 and 3); "nacos.auto.django" in INSTALLED_APPS
(django_settings.py) is the simpler way. Copy it over ``mysite/wsgi.py``:

    NACOS_SERVER=127.0.0.1:8848 gunicorn -w 4 -b 0.0.0.0:8000 mysite.wsgi

A stock wsgi.py works too, under ``nacos-register gunicorn ... mysite.wsgi`` or with
``import nacos.auto.registration.enabled`` as its first line.
"""
import os

from django.core.wsgi import get_wsgi_application

from nacos.auto.middleware.wsgi import inject_wsgi_middleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
application = inject_wsgi_middleware(get_wsgi_application())
