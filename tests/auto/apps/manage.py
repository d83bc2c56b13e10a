#!/usr/bin/env python
"""Django's manage.py with the import trigger when APP_TRIGGER=import."""
import os
import sys

if os.environ.get("APP_TRIGGER") == "import":
    import nacos.auto.registration.enabled  # noqa: F401

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
