"""``Registration``: the one registration of this process (see :mod:`nacos.auto.runtime`).

Events come from the entry points: ``server_started(host, port)`` from a server hook, ``app_ready()`` when the
middleware wraps an app, ``on_request()`` from the middleware. Registration runs on one background thread:
wait until the port is known (an explicit port, a server hook, gunicorn's listeners, or the one port this
process listens on), then register with retries. The client's managed heartbeats keep the instance alive;
``deregister()`` takes it down (unless another worker serving the same ip:port still lives).
"""
from __future__ import absolute_import

import logging
import os
import sys
import threading

from ..exception import NacosException
from . import detect, notice, watchdog
from .workers import WorkerSet

logger = logging.getLogger(__name__)

PORT_WAIT = 60.0      # seconds to wait for the server to listen before giving up on startup registration
PORT_POLL = 0.1
PROC_GRACE = 1.0      # seconds the server hooks have before the /proc fallback is believed


class Registration(object):
    def __init__(self, settings, name_hint=None):
        self.settings = settings
        self.name_hint = name_hint
        self._lock = threading.RLock()
        self._reset()

    def _reset(self):
        self.pid = os.getpid()
        self.parent = os.getppid() if hasattr(os, "getppid") else None
        self.state = "idle"          # idle, waiting (for the port, or retrying), registered, deregistered,
        #                              disabled
        self.bound = None            # (host, port) reported by a server hook
        self.listeners = []          # gunicorn's listeners, seen when the app was loaded
        self.hint = None             # (host, port) seen in a request, the last resort
        self.ip = self.port = None
        self.framework = None
        self.client = None
        self.workers = None
        self._thread = None
        self._watchdog = None        # a reloader child's watchdog (see nacos.auto.watchdog)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.registered = threading.Event()
        # listening sockets that existed before (inherited, the process's own other servers) are not the app's
        self._preexisting = set(detect.proc_listening())

    def _check_fork(self):
        if self.pid != os.getpid():  # a forked worker: the parent's registration is not ours
            with self._lock:
                if self.pid != os.getpid():
                    disabled = self.state == "disabled"
                    self._reset()
                    if disabled:
                        self.state = "disabled"

    @property
    def service_name(self):
        return self.settings.service.name or detect.service_name(self.name_hint)

    # ------------------------------------------------------------------ events
    def disable(self, reason):
        self._check_fork()
        with self._lock:
            if self.state in ("idle", "waiting"):
                logger.info("not registering in this process: %s", reason)
                self.state = "disabled"
                self._stop.set()
                self._wake.set()

    def server_started(self, host, port, source):
        self._check_fork()
        with self._lock:
            if self.bound is None:
                logger.debug("%s listens on %s:%s", source, host, port)
                self.bound = (host, port)
            self._wake.set()
        if self.settings.registration.register_on_startup:
            self._start()

    def app_ready(self, framework=None):
        self._check_fork()
        self.framework = self.framework or framework
        if not self.listeners:
            self.listeners = detect.gunicorn_listeners(sys._getframe(1))
        if self.settings.registration.register_on_startup:
            self._start()

    def on_request(self, host=None, port=None):
        self._check_fork()
        if self.state != "idle" or not self.settings.registration.register_on_request:
            return
        if port and self.hint is None:
            try:
                self.hint = (host, int(port))
            except (TypeError, ValueError):
                pass
        self._start()

    # ------------------------------------------------------------------ the registration thread
    def _start(self):
        if not self.settings.registration.auto_register:
            return
        with self._lock:
            if self.state != "idle":
                return
            self.state = "waiting"
            self._thread = threading.Thread(target=self._run, name="nacos-auto-register")
            self._thread.daemon = True
            self._thread.start()

    def _address(self, use_proc=True):
        explicit = self.settings.service.port
        found = self.bound or detect.single_port(self.listeners or detect.gunicorn_listeners())
        if found is None and use_proc:
            found = detect.single_port([a for a in detect.proc_listening() if a not in self._preexisting])
        if explicit:
            return (found[0] if found else None), explicit
        return found or self.hint

    def _run(self):
        waited = 0.0
        address = self._address(use_proc=False)
        while address is None and waited < PORT_WAIT and not self._stop.is_set():
            self._wake.wait(PORT_POLL)
            self._wake.clear()
            waited += PORT_POLL
            address = self._address(use_proc=waited >= PROC_GRACE)
        if address is None:
            with self._lock:
                if self.state == "waiting":
                    self.state = "idle"  # the first request may still tell the port
            if not self._stop.is_set():
                notice.say(logger, logging.WARNING, "no listening port found within %.0f s; not registered yet: "
                           "set --service-port/NACOS_SERVICE_PORT (the first request registers)", PORT_WAIT)
            return
        s = self.settings
        self.ip = detect.choose_ip(s.service.ip, address[0], s.nacos.server)
        self.port = address[1]
        if watchdog.needed(self.parent):  # before registering: no moment registered without it
            self._start_watchdog(self.service_name)
        self._register()

    def _make_client(self):
        return watchdog.make_client(self.settings.client_kwargs())

    def _start_watchdog(self, name):
        s = self.settings
        self._watchdog = watchdog.start(dict(
            client=s.client_kwargs(), namespace=s.nacos.namespace, group=s.service.group, service=name,
            cluster=s.service.cluster, ip=self.ip, port=self.port, parent=self.parent))

    def _try(self, name):
        """One registration; None when it worked, else what went wrong."""
        s = self.settings
        try:
            if self.client is None:
                self.client = self._make_client()
            ok = self.client.add_naming_instance(
                name, self.ip, self.port, cluster_name=s.service.cluster, weight=s.service.weight,
                metadata=s.service.metadata or None, group_name=s.service.group,
                heartbeat_interval=s.heartbeat.interval)
        except NacosException as exc:
            return str(exc)
        return None if ok else "the server did not say ok"

    def _pause(self, attempt):
        """``retry_interval`` for the ``retry_times`` startup retries, then doubling up to
        ``retry_max_interval``: a registration is retried for as long as it takes."""
        r = self.settings.registration
        if attempt <= r.retry_times:
            return r.retry_interval
        longest = max(r.retry_max_interval, r.retry_interval)
        return min(max(r.retry_interval, 0.1) * 2 ** min(attempt - r.retry_times, 30), longest)

    def _register(self):
        name = self.service_name
        tries = self.settings.registration.retry_times + 1
        attempt = 0
        while not self._stop.is_set():
            attempt += 1
            error = self._try(name)
            if error is None:
                self._registered(name, attempt > tries)
                return
            logger.warning("registering %s %s:%s failed (try %d): %s", name, self.ip, self.port, attempt, error)
            if attempt == tries:
                notice.say(logger, logging.ERROR, "could not register %s %s:%s with Nacos %s after %d tries (%s)%s;"
                           " retrying in the background (every %.0f s at most)", name, self.ip, self.port,
                           ",".join(self.settings.nacos.server), tries, error, self._file_hint(),
                           self.settings.registration.retry_max_interval)
            if self._stop.wait(self._pause(attempt)):
                return

    def _file_hint(self):
        if self.settings.file:
            return ""
        return "; no nacos.yaml or application.yaml in %s" % os.getcwd()

    def _registered(self, name, late=False):
        s = self.settings
        with self._lock:
            self.workers = WorkerSet(s.nacos.namespace, s.service.group, name, self.ip, self.port)
            try:
                self.workers.join()
            except (IOError, OSError) as exc:
                logger.warning("worker bookkeeping failed (%s)", exc)
            if self.state == "waiting":
                self.state = "registered"
                self.registered.set()
                message = ("registered %s %s:%s in group %s, namespace %r", name, self.ip, self.port,
                           s.service.group, s.nacos.namespace)
                if late:  # the failure was said on stderr: so is the recovery
                    notice.say(logger, logging.INFO, *message)
                else:
                    logger.info(*message)
                return
            self.registered.set()
        self._take_down(self.client)  # shutdown began while the registration was in flight

    # ------------------------------------------------------------------ deregistration
    def deregister(self, timeout=None):
        """Take the instance down (at most ``timeout`` seconds, default ``shutdown.timeout``). True when this
        process had registered it. Idempotent; later events register nothing."""
        self._check_fork()
        timeout = self.settings.shutdown.timeout if timeout is None else timeout
        with self._lock:
            was, client = self.state, self.client
            if was in ("disabled", "deregistered"):
                return False
            self.state = "deregistered"
            self._stop.set()
            self._wake.set()
        if was == "waiting" and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)  # a registration in flight finishes, sees the stop and takes it down
            if not self.registered.is_set():
                watchdog.dismiss(self._watchdog)  # nothing was registered: nothing for it to take down
                if self.client is not None:
                    self.client.stop(1.0)
            return self.registered.is_set()
        if client is None:
            return False
        worker = threading.Thread(target=self._take_down, args=(client, was == "registered"),
                                  name="nacos-auto-deregister")
        worker.daemon = True
        try:
            worker.start()
        except RuntimeError:  # Python 3.12+ at interpreter shutdown (atexit): no new threads; do it here,
            client.set_options(default_timeout=min(float(timeout), client.default_timeout) or 0.5)  # bounded
            self._take_down(client, was == "registered")
            return was == "registered"
        worker.join(timeout)
        if worker.is_alive():
            logger.warning("deregistration did not finish within %.1f s", timeout)
        return was == "registered"

    def _take_down(self, client, registered=True):
        s = self.settings
        try:
            if registered and s.shutdown.deregister and (self.workers is None or self.workers.leave()):
                client.remove_naming_instance(self.service_name, self.ip, self.port,
                                              cluster_name=s.service.cluster, group_name=s.service.group)
                logger.info("deregistered %s %s:%s", self.service_name, self.ip, self.port)
        except NacosException as exc:
            logger.warning("deregistering %s %s:%s failed: %s", self.service_name, self.ip, self.port, exc)
        finally:
            watchdog.dismiss(self._watchdog)  # after the removal: a kill before it still leaves the watchdog on
            client.stop(1.0)
