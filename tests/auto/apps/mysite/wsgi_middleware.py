"""wsgi.py with the explicit middleware."""
import os

from django.core.wsgi import get_wsgi_application

from nacos.auto.middleware.wsgi import inject_wsgi_middleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
application = inject_wsgi_middleware(get_wsgi_application())
