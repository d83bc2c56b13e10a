"""A reloader child's watchdog: deregisters the instance when the child dies without doing it itself.

A reloader child (Django runserver, werkzeug's reloader) whose parent never ran this package (the app only
wraps itself in ``wsgi.py``, which the parent never loads) cannot deregister on a stop: the parent's own
SIGTERM handling kills the child with SIGKILL (Django: ``sys.exit`` inside ``subprocess.run``). Such a child
starts this watchdog once registered: a small process in its own session that holds a pipe from the child.
The child writes ``bye`` before it deregisters normally; end of file without it means the child was killed,
and the watchdog deregisters (unless another worker of the same instance still lives), then exits. When the
reloader parent dies and leaves the child serving on its own (Django 1.11's parent dies of SIGTERM without
stopping the child), the watchdog sends the child SIGTERM: nobody else would ever stop it, and it
deregisters on that signal.
The connection settings, secrets included, reach it through the pipe, never the command line.
"""
from __future__ import absolute_import

import json
import logging
import os
import subprocess
import sys

logger = logging.getLogger(__name__)
BYE = b"bye\n"


def needed(parent):
    """True in a werkzeug or Django reloader child whose parent (pid ``parent``) did not run this package."""
    child = os.environ.get("RUN_MAIN") == "true" or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    return child and os.environ.get(PARENT_ENV) != str(parent) and hasattr(os, "setsid")


PARENT_ENV = "NACOS_AUTO_RELOADER_PARENT"


def mark_parent():
    """In a reloader parent that forwards the stop signals: its children need no watchdog."""
    os.environ[PARENT_ENV] = str(os.getpid())


def start(instance):
    """Start the watchdog for ``instance`` (a JSON-able dict with the client's settings, the instance and the
    reloader ``parent`` pid, see :func:`main`); returns it (:func:`dismiss` sends it away), or None when it
    could not start."""
    try:
        proc = subprocess.Popen([sys.executable, "-m", "nacos.auto.watchdog"], stdin=subprocess.PIPE,
                                close_fds=True, preexec_fn=os.setsid)
        proc.stdin.write(json.dumps(dict(instance, pid=os.getpid())).encode("utf-8") + b"\n")
        proc.stdin.flush()
    except (OSError, IOError, ValueError) as exc:
        logger.warning("cannot start the deregistration watchdog: %s", exc)
        return None
    logger.debug("deregistration watchdog %s started", proc.pid)
    return proc


def dismiss(proc):
    """The child deregisters itself: the watchdog only exits."""
    if proc is None:
        return
    try:
        proc.stdin.write(BYE)
        proc.stdin.close()
    except (OSError, IOError, ValueError):
        pass


def make_client(kwargs):
    """The registration's own client: no local files, no UDP push (``kwargs``: ``Settings.client_kwargs()``)."""
    from .. import NacosClient
    kwargs = dict(kwargs)
    return NacosClient(kwargs.pop("server_addresses"), failover_base=None, snapshot_base=None,
                       no_snapshot=True, naming_cache_dir=None, udp_push=False, **kwargs)


def _wait(info):
    """The bytes the child sent after its settings, once it closed the pipe (said goodbye or died);
    SIGTERM to the child when its reloader parent is gone."""
    import select
    import signal
    fd = sys.stdin.fileno()
    data, orphan = b"", False
    while True:
        if select.select([fd], [], [], POLL)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                return data
            data += chunk
        elif not orphan and _orphaned(info):
            orphan = True
            try:
                os.kill(info["pid"], signal.SIGTERM)
            except OSError:
                pass


POLL = 0.2


def _orphaned(info):
    """True once the child's reloader parent is gone: the child was re-parented (Linux: its ppid in /proc
    changed; a parent that died but was not reaped yet counts as gone), else the parent pid is dead."""
    try:
        with open("/proc/%d/stat" % info["pid"], "rb") as fp:
            stat = fp.read()
    except (IOError, OSError):
        from .workers import _alive
        return not _alive(info["parent"])
    return int(stat[stat.rindex(b")") + 2:].split()[1]) != info["parent"]


def main():
    from ..exception import NacosException
    from .workers import WorkerSet
    line = b""
    while not line.endswith(b"\n"):  # unbuffered: what follows is read by _wait
        chunk = os.read(sys.stdin.fileno(), 1)
        if not chunk:
            return 0
        line += chunk
    info = json.loads(line.decode("utf-8"))
    if _wait(info).startswith(BYE):
        return 0
    workers = WorkerSet(info["namespace"], info["group"], info["service"], info["ip"], info["port"])
    workers.pid = info["pid"]
    if not workers.leave():
        return 0
    client = make_client(info["client"])
    try:
        client.remove_naming_instance(info["service"], info["ip"], info["port"], cluster_name=info["cluster"],
                                      group_name=info["group"])
    except NacosException as exc:
        sys.stderr.write("nacos.auto: the watchdog could not deregister %s %s:%s: %s\n"
                         % (info["service"], info["ip"], info["port"], exc))
        return 1
    finally:
        client.stop(1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
