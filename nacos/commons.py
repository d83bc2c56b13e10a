"""Small helpers the legacy client kept in ``nacos.commons`` (kept for imports)."""
from __future__ import absolute_import

import functools
import sys


def synchronized_with_attr(attr_name):
    """Decorator: run the method holding the lock stored in ``self.<attr_name>``."""
    def decorator(func):
        @functools.wraps(func)
        def synced(self, *args, **kwargs):
            with getattr(self, attr_name):
                return func(self, *args, **kwargs)
        return synced
    return decorator


def truncate(ori_str, length=100):
    """``ori_str`` cut to ``length`` characters plus ``...`` when longer; "" for an empty value."""
    if not ori_str:
        return ""
    return ori_str[:length] + "..." if len(ori_str) > length else ori_str


def python_version_bellow(version):
    """True when the running Python is older than ``version`` ("3.7", "2.7.18"); the legacy spelling."""
    if not version:
        return False
    wanted = tuple(int(part) for part in version.split(".")[:3])
    return tuple(sys.version_info[:len(wanted)]) < wanted
