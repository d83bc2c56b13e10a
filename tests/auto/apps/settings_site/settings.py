"""Django settings whose values come from Nacos (nacos.settings.django.load_into)."""
import logging
import os

import nacos
from nacos.settings.django import load_into

logging.basicConfig(level=logging.WARNING)

SECRET_KEY = "test-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "settings_site.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
GREETING = "default"

client = nacos.NacosClient(os.environ["NACOS_SERVER"], namespace=os.environ.get("NACOS_NAMESPACE", ""),
                           username=os.environ.get("NACOS_USERNAME"), password=os.environ.get("NACOS_PASSWORD"))
NACOS_SETTINGS = load_into(globals(), client, os.environ["SETTINGS_SOURCES"].split(","))
