"""Messages a user must see even when nobody configured logging: a registration that failed or is still being
retried, a bad setting, options read in an unexpected way.

:func:`say` logs the message; when no handler would show it (only ``NullHandler``s from here up to the root,
the default of a library), it also writes it to stderr as ONE line, prefixed ``nacos.auto:``. An app that
configured logging (``logging.basicConfig``, ``--log-level``, gunicorn's ``--log-level``, ...) gets it there
only.
"""
from __future__ import absolute_import

import logging
import sys


def _shown(logger):
    current = logger
    while current is not None:
        for handler in current.handlers:
            if not isinstance(handler, logging.NullHandler):
                return True
        if not current.propagate:
            return False
        current = current.parent
    return False


def say(logger, level, message, *args):
    """``logger.log(level, message, *args)``, and one stderr line when logging would show it nowhere."""
    logger.log(level, message, *args)
    if _shown(logger):  # logging is configured: the app decides what is shown
        return
    text = (message % args) if args else message
    try:
        sys.stderr.write("nacos.auto: %s\n" % " ".join(text.split()))
        sys.stderr.flush()
    except (IOError, OSError, ValueError):  # stderr closed or gone
        pass
