"""Run: cd examples && DJANGO_SETTINGS_MODULE=settings_django.settings python -m django runserver --noreload"""
from django.conf import settings
from django.http import JsonResponse
from django.urls import path


def index(request):
    return JsonResponse({"checkout_v2": settings.FEATURE_CHECKOUT_V2})   # read at use time: follows Nacos


urlpatterns = [path("", index)]
