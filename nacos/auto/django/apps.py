"""``NacosAutoConfig``: see :mod:`nacos.auto.django`."""
from __future__ import absolute_import

from django.apps import AppConfig


class NacosAutoConfig(AppConfig):
    name = "nacos.auto.django"
    label = "nacos_auto"
    verbose_name = "Nacos registration"

    def ready(self):
        from ..hooks import activate
        activate()
