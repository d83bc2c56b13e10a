"""Django settings.py with values from Nacos (docs/settings.md, "Django").

Every key of the sources becomes a setting by its upper-case name (db.host -> DB_HOST). Later changes are
applied to django.conf.settings, except the settings Django reads once at startup
(nacos.settings.django.RESTART_REQUIRED: DATABASES, INSTALLED_APPS, MIDDLEWARE, ...), which are logged and
need a restart. Read settings.X at use time to see changes.
"""
import os

import nacos
from nacos.settings.django import load_into

SECRET_KEY = "change-me"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "settings_django.urls"
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = []
DATABASES = {}
FEATURE_CHECKOUT_V2 = False   # a default; orders.yaml "feature_checkout_v2: true" turns it on at runtime

_client = nacos.NacosClient(os.environ.get("NACOS_SERVER", "127.0.0.1:8848"),
                            namespace=os.environ.get("NACOS_NAMESPACE", ""))
NACOS_SETTINGS = load_into(globals(), _client, [("shared.properties", "DEFAULT_GROUP"),
                                                ("orders.yaml", "DEFAULT_GROUP")])
