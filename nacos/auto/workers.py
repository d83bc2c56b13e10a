"""Several processes serving one ip:port (gunicorn workers) share ONE Nacos instance.

Every worker registers the same instance (an idempotent upsert) and beats for it, so it stays healthy while
any worker lives. Each worker also leaves a file named after its pid in a directory keyed by namespace,
group, service, ip and port. On exit a worker removes its file under an exclusive lock, drops the files of
pids that no longer exist (a killed worker), and deregisters only when no live worker is left (the last one
also removes the directory). A worker restarted by gunicorn (``max_requests``, a crash) therefore never takes
the instance down.

The directories live in a private per-user directory (:func:`private_dir`): ``$XDG_RUNTIME_DIR/nacos-auto``
when that is the user's own, else ``<tmp>/nacos-auto-<uid>``, mode 0700, checked to be a real directory
owned by the user and closed to others before it is used (else bookkeeping is off and a leaving worker
deregisters). Files are opened without following symlinks.
"""
from __future__ import absolute_import

import errno
import hashlib
import logging
import os
import shutil
import stat
import tempfile

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the check is best effort
    fcntl = None

logger = logging.getLogger(__name__)
_OPEN = os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


def _private(path):
    """Create ``path`` (0700) if needed; raise OSError unless it is a directory of this user closed to
    others (a symlink, another owner or group/other permissions are refused)."""
    try:
        os.mkdir(path, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise
    info = os.lstat(path)
    getuid = getattr(os, "getuid", None)
    if not stat.S_ISDIR(info.st_mode) or (getuid is not None and (info.st_uid != getuid()
                                                                   or info.st_mode & 0o077)):
        raise OSError(errno.EPERM, "%s is not a private directory of this user (owner %s, mode %o)"
                      % (path, info.st_uid, stat.S_IMODE(info.st_mode)))
    return path


def private_dir(base=None, env=None):
    """This user's private directory for the worker bookkeeping (see the module docstring), created and
    checked."""
    return _private(private_path(base, env))


def private_path(base=None, env=None):
    """Where :func:`private_dir` is (nothing created or checked)."""
    env = os.environ if env is None else env
    getuid = getattr(os, "getuid", None)
    if base is None and getuid is not None:
        runtime = env.get("XDG_RUNTIME_DIR")
        if runtime and os.path.isabs(runtime):
            try:
                info = os.stat(runtime)
            except OSError:
                info = None
            if info is not None and info.st_uid == getuid() and not info.st_mode & 0o077:
                return os.path.join(runtime, "nacos-auto")
    suffix = "-%d" % getuid() if getuid is not None else ""
    return os.path.join(base or tempfile.gettempdir(), "nacos-auto" + suffix)


def _touch(path):
    os.close(os.open(path, os.O_WRONLY | _OPEN, 0o600))


class WorkerSet(object):
    """The live processes that registered one instance."""

    def __init__(self, namespace, group, service, ip, port, base=None):
        key = "%s|%s|%s|%s|%s" % (namespace, group, service, ip, port)
        self.root = private_path(base)
        self.directory = os.path.join(self.root, "%s-%s" % (port, hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]))
        self.pid = os.getpid()

    def _locked(self, action):
        """``action()`` under this user's bookkeeping lock, with :attr:`directory` created."""
        fd = os.open(os.path.join(_private(self.root), ".lock"), os.O_RDWR | _OPEN, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            _private(self.directory)
            return action()
        finally:
            os.close(fd)  # releases the lock

    def _pids(self):
        pids = []
        for name in os.listdir(self.directory):
            if name.isdigit():
                pid = int(name)
                if pid == self.pid or _alive(pid):
                    pids.append(pid)
                else:
                    _remove(os.path.join(self.directory, name))
        return pids

    def join(self):
        """Record this process as serving the instance."""
        def action():
            self.pid = os.getpid()
            _touch(os.path.join(self.directory, str(self.pid)))
            return self._pids()
        return self._locked(action)

    def leave(self):
        """Remove this process; True when no other live process serves the instance (deregister now)."""
        def action():
            _remove(os.path.join(self.directory, str(self.pid)))
            others = [p for p in self._pids() if p != self.pid]
            if others:
                logger.info("instance still served by pid(s) %s: not deregistering", others)
            else:
                shutil.rmtree(self.directory, ignore_errors=True)
            return not others
        try:
            return self._locked(action)
        except (IOError, OSError) as exc:
            logger.warning("worker bookkeeping in %s failed (%s); deregistering", self.directory, exc)
            return True


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass
