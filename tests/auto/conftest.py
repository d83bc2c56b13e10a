"""Fixtures of the auto-registration tests (helpers in auto_support.py). Framework tests skip when the
framework is not installed; files whose name contains "asgi" or "fastapi" are Python 3 only and are not
collected on 2.7."""
import os
import sys

from auto_support import nacos, start_app  # noqa: F401 - fixtures

HERE = os.path.dirname(os.path.abspath(__file__))
collect_ignore = ["apps"]
if sys.version_info[0] < 3:
    collect_ignore += [n for n in os.listdir(HERE) if "asgi" in n or "fastapi" in n]
