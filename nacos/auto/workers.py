"""Several processes serving one ip:port (gunicorn workers) share ONE Nacos instance.

Every worker registers the same instance (an idempotent upsert) and beats for it, so it stays healthy while
any worker lives. Each worker also leaves a file named after its pid in a directory keyed by namespace,
group, service, ip and port under the temp dir. On exit a worker removes its file under an exclusive lock,
drops the files of pids that no longer exist (a killed worker), and deregisters only when no live worker is
left. A worker restarted by gunicorn (``max_requests``, a crash) therefore never takes the instance down.
"""
from __future__ import absolute_import

import errno
import hashlib
import logging
import os
import tempfile

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the check is best effort
    fcntl = None

logger = logging.getLogger(__name__)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


class WorkerSet(object):
    """The live processes that registered one instance."""

    def __init__(self, namespace, group, service, ip, port, base=None):
        key = "%s|%s|%s|%s|%s" % (namespace, group, service, ip, port)
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        self.directory = os.path.join(base or tempfile.gettempdir(), "nacos-auto", "%s-%s" % (port, digest))
        self.pid = os.getpid()

    def _locked(self, action):
        try:
            os.makedirs(self.directory)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
        with open(os.path.join(self.directory, ".lock"), "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                return action()
            finally:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

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
            open(os.path.join(self.directory, str(self.pid)), "w").close()
            return self._pids()
        return self._locked(action)

    def leave(self):
        """Remove this process; True when no other live process serves the instance (deregister now)."""
        def action():
            _remove(os.path.join(self.directory, str(self.pid)))
            others = [p for p in self._pids() if p != self.pid]
            if others:
                logger.info("instance still served by pid(s) %s: not deregistering", others)
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
