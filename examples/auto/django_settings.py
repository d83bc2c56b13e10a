"""The explicit Django integration: add the app to ``INSTALLED_APPS`` in your settings (Python 2.7 and 3)::

    INSTALLED_APPS = [
        # ...
        "nacos.auto.django",
    ]

Then ``manage.py runserver``, ``gunicorn mysite.wsgi`` or ``uvicorn mysite.asgi:application`` register the
service (name: the settings package, or NACOS_SERVICE_NAME), and a stop of runserver deregisters it.
"""
INSTALLED_APPS = ["nacos.auto.django"]
