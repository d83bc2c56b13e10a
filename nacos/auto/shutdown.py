"""Graceful shutdown: on SIGTERM/SIGINT deregister (within ``shutdown.timeout``), then chain.

The handler never swallows a signal. After deregistering it calls the handler that was installed before
(gunicorn's, Python's KeyboardInterrupt for SIGINT, ...). When that was the default action: a process that
had registered exits with status 0 (``SystemExit(0)``: a clean stop, the server's ``finally`` blocks run); a
process that had nothing to take down gets the default action itself, as if this module were not there.
``atexit`` deregisters too, for exits that are not signals. Handlers can only be set on the main thread;
the entry points call :func:`install` from there (again after a server such as a gunicorn worker replaced
them, so the chain includes the server's own handler).
"""
from __future__ import absolute_import

import atexit
import logging
import os
import signal
import threading

logger = logging.getLogger(__name__)

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT") if hasattr(signal, name))
_previous = {}       # signum -> the handler ours replaced
_state = {"atexit": False, "manager": None}


def _main_ident():
    main = getattr(threading, "main_thread", None)
    if main is not None:
        return main().ident
    shutdown = getattr(threading, "_shutdown", None)  # Python 2.7: a method of the main thread object
    return getattr(getattr(shutdown, "__self__", None), "ident", None)


_MAIN_IDENT = _main_ident()


def _main_thread():
    """True on the main thread, also during interpreter exit (2.7 then reports a dummy thread object)."""
    return threading.current_thread().ident == _MAIN_IDENT


def install(manager):
    """Set the signal handlers (main thread only, once per handler chain) and the atexit hook."""
    _state["manager"] = manager
    if not _state["atexit"]:
        atexit.register(_at_exit)
        _state["atexit"] = True
    if not manager.settings.shutdown.graceful or not _main_thread():
        return
    for signum in SIGNALS:
        current = signal.getsignal(signum)
        if current is _handler:
            continue
        try:
            signal.signal(signum, _handler)
        except (ValueError, OSError, RuntimeError) as exc:  # not the main thread of the main interpreter
            logger.debug("cannot set a handler for signal %s: %s", signum, exc)
            continue
        _previous[signum] = current


def uninstall():
    """Put the previous handlers back (a reloader parent, which registers nothing)."""
    if not _main_thread():
        return
    for signum, previous in list(_previous.items()):
        if signal.getsignal(signum) is _handler:
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        _previous.pop(signum, None)


def _deregister(manager, why):
    """``manager.deregister()``; on the main thread a repeated SIGTERM/SIGINT meanwhile is dropped (logged)
    rather than allowed to interrupt it (the process is exiting anyway)."""
    held = {}
    if _main_thread():
        for signum in SIGNALS:
            try:
                held[signum] = signal.signal(signum, _repeated)
            except (ValueError, OSError, RuntimeError):
                pass
    try:
        logger.info("%s: deregistering", why)
        return manager.deregister()
    except Exception:  # noqa: BLE001 - the signal must still reach the previous handler
        logger.exception("deregistration (%s) failed", why)
        return False
    finally:
        for signum, previous in held.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


def _repeated(signum, frame):
    logger.info("signal %s while deregistering: already shutting down", signum)


def forward_to_children():
    """In a reloader parent (werkzeug, Django): pass SIGTERM/SIGINT to the child that serves -- it
    deregisters and exits, and the parent then exits with its status -- instead of the reloaders' own
    handling, which kills the child at once on Python 3 (``subprocess.call`` kills on an exception)."""
    from .detect import child_pids
    if not _main_thread() or not os.path.isdir("/proc"):
        return False

    def forward(signum, frame):
        children = child_pids()
        for pid in children:
            try:
                os.kill(pid, signum)
            except OSError:
                pass
        if not children:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
    for signum in SIGNALS:
        signal.signal(signum, forward)
    return True


def _handler(signum, frame):
    manager = _state["manager"]
    had = False
    if manager is not None:  # "had": this process registered (maybe taken down already, e.g. by lifespan)
        had = _deregister(manager, "signal %s" % signum) or manager.registered.is_set()
    previous = _previous.get(signum, signal.SIG_DFL)
    if callable(previous):
        result = previous(signum, frame)
        if had:
            _uvicorn_handled(previous, signum)
        return result
    if previous == signal.SIG_IGN:
        return None
    if had:
        raise SystemExit(0)
    signal.signal(signum, signal.SIG_DFL)  # nothing of ours was up: the default action, as without us
    os.kill(os.getpid(), signum)
    return None


def _uvicorn_handled(previous, signum):
    """uvicorn (0.29+) records the signal, shuts down cleanly, restores the handlers it found and raises the
    signal again. When the app (and so this module) was imported inside uvicorn's serve, the handler it
    restores is the default one, and the process would die of the signal after a clean stop. The instance is
    deregistered and uvicorn has shut down: tell it the signal was handled, so the process exits 0."""
    server = getattr(previous, "__self__", None)
    captured = getattr(server, "_captured_signals", None)
    if isinstance(captured, list) and type(server).__module__.startswith("uvicorn") and signum in captured:
        captured.remove(signum)


def _at_exit():
    manager = _state["manager"]
    if manager is not None:
        _deregister(manager, "exit")
