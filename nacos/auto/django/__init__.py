"""The Django integration: add ``"nacos.auto.django"`` to ``INSTALLED_APPS``.

Its :class:`~nacos.auto.django.apps.NacosAutoConfig` activates the registration in ``ready()``, in every
process that sets Django up: runserver's reloader parent (which then forwards SIGTERM/SIGINT to the child
that serves, so a stop deregisters), the child, gunicorn/uwsgi workers, ASGI servers. Settings come from
the environment and ``nacos.yaml`` as for the other entry points; the service name defaults to the settings
package (``mysite.settings`` gives ``mysite``).
"""
default_app_config = "nacos.auto.django.apps.NacosAutoConfig"  # Django < 3.2
