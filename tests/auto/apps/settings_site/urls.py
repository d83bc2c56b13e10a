import json

from django.conf import settings
try:
    from django.urls import re_path as url
except ImportError:  # Django 1.11
    from django.conf.urls import url
from django.http import HttpResponse


def index(request):
    return HttpResponse(json.dumps({"greeting": settings.GREETING, "limit": getattr(settings, "LIMITS_MAX", None),
                                    "debug": settings.DEBUG}))


urlpatterns = [url(r"^$", index)]
