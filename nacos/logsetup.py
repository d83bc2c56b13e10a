"""Opt-in file logging (legacy ``logDir``/``log_level``). Nothing is written unless the user asks for it."""
from __future__ import absolute_import

import logging
import os
import threading

_lock = threading.Lock()
_installed = {}

LOG_FILE = "nacos-client-python.log"
FORMAT = "%(asctime)s - %(levelname)s - %(name)s - %(message)s"


def setup_file_logging(log_dir=None, log_level=None, backup_count=None):
    """Attach one midnight-rotating file handler per directory to the ``nacos`` logger (never twice)."""
    log_dir = os.path.expanduser(log_dir or os.path.join("~", "logs", "nacos"))
    if isinstance(log_level, str) and not log_level.isdigit():
        level = logging.getLevelName(log_level.upper())
        if not isinstance(level, int):
            raise ValueError("log_level %r is not a logging level" % (log_level,))
    else:
        level = int(log_level) if log_level is not None else logging.INFO
    root = logging.getLogger("nacos")
    with _lock:
        handler = _installed.get(log_dir)
        if handler is None:
            if not os.path.isdir(log_dir):
                os.makedirs(log_dir)
            # only for file logging, not on every import (``import logging.handlers`` here would make
            # ``logging`` a local name of this function)
            from logging.handlers import TimedRotatingFileHandler
            handler = TimedRotatingFileHandler(
                os.path.join(log_dir, LOG_FILE), when="midnight", backupCount=backup_count or 7,
                encoding="utf-8")
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)
            _installed[log_dir] = handler
        handler.setLevel(level)
        if root.level == logging.NOTSET or root.level > level:
            root.setLevel(level)
    return handler


_debugging = []


def set_debugging():
    """Legacy ``NacosClient.set_debugging()``: DEBUG records of the ``nacos`` loggers go to stderr (once)."""
    root = logging.getLogger("nacos")
    with _lock:
        if not _debugging:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s:%(message)s"))
            root.addHandler(handler)
            _debugging.append(handler)
        root.setLevel(logging.DEBUG)
