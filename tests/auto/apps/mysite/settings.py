"""Minimal Django settings (1.11 and 2.x-5.x). APP_DJANGO_APPS (comma-separated) adds installed apps,
APP_WSGI replaces WSGI_APPLICATION."""
import os

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [a for a in os.environ.get("APP_DJANGO_APPS", "").split(",") if a]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = os.environ.get("APP_WSGI", "mysite.wsgi.application")
DATABASES = {}
USE_TZ = True
