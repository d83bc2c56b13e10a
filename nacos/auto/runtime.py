"""The process-wide auto-registration: ONE :class:`~nacos.auto.manager.Registration` per process, created by
whichever entry point runs first (the launcher, the import trigger, a middleware, the Django app, the
gunicorn hooks), with the shutdown handlers and the opt-in logging. The entry points install the
framework/server hooks themselves (:func:`nacos.auto.hooks.activate`).
"""
from __future__ import absolute_import

import logging
import sys
import threading

from . import shutdown, watchdog

logger = logging.getLogger(__name__)

_lock = threading.RLock()
_state = {"manager": None, "launcher_argv": None}
_HANDLER_MARK = "_nacos_auto_handler"


def activate(config=None, name_hint=None, launcher_argv=None):
    """The process's Registration, created on first call. ``config``: a Settings, a dict of dotted keys
    (taking precedence like command-line options), or None (environment + config file + defaults).
    Later calls return the same object (the first entry point's settings win)."""
    from .config import Settings, load_settings
    from .manager import Registration
    with _lock:
        manager = _state["manager"]
        if manager is None:
            settings = config if isinstance(config, Settings) else load_settings(cli_args=config)
            setup_logging(settings)
            manager = _state["manager"] = Registration(settings, name_hint)
            if launcher_argv is not None:
                _state["launcher_argv"] = list(launcher_argv)
            if not settings.registration.auto_register:
                logger.info("auto registration is off (registration.auto_register)")
        elif config is not None:
            logger.debug("auto registration already active; the settings given later are ignored")
    shutdown.install(manager)
    return manager


def current():
    """The active Registration, or None."""
    return _state["manager"]


def launcher_argv():
    """The launcher's own options when it runs this process (for reloader children), else None."""
    return _state["launcher_argv"]


def server_started(host, port, source):
    manager = current()
    if manager is not None:
        manager.server_started(host, port, source)


def reloader_parent(source, restarting=False):
    """This process only watches files and restarts a child that serves: it never registers. When it is
    about to start the child (``restarting``), its SIGTERM/SIGINT are forwarded to the child."""
    manager = current()
    if manager is not None:
        manager.disable("%s reloader parent (the child serving the app registers)" % source)
    shutdown.uninstall()
    if restarting and shutdown.forward_to_children():
        watchdog.mark_parent()  # its children deregister on the signals it forwards: no watchdog


def reloader_child(source):
    """On the main thread of a reloader's child (werkzeug, Django), after the reloader replaced the SIGTERM
    handler with its own ``sys.exit(0)``: chain ours in front again. Otherwise a SIGTERM deregisters only
    from ``atexit``, and the second SIGTERM a group stop delivers (the group's own, then the one the parent
    forwards) can land between the exit and that hook and cut it short, leaving the instance registered."""
    manager = current()
    if manager is not None:
        logger.debug("%s reloader child: shutdown handler set in front of the reloader's", source)
        shutdown.install(manager)


def setup_logging(settings):
    """``logging.level`` sets the level of the ``nacos`` loggers and writes them to stderr;
    ``logging.file`` appends them to a file. Neither set: logging is left to the app."""
    level, path = settings.logging.level, settings.logging.file
    if not level and not path:
        return
    root = logging.getLogger("nacos")
    root.setLevel(getattr(logging, level or "INFO"))
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    targets = [("stderr", lambda: logging.StreamHandler(sys.stderr))] if level else []
    if path:
        targets.append((path, lambda: logging.FileHandler(path)))
    for key, make in targets:
        if any(getattr(h, _HANDLER_MARK, None) == key for h in root.handlers):
            continue
        handler = make()
        handler.setFormatter(fmt)
        setattr(handler, _HANDLER_MARK, key)
        root.addHandler(handler)
