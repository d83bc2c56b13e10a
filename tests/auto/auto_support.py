"""Helpers for the auto-registration tests (imported by tests/auto/conftest.py and the tests): an embedded
Nacos with short timings, and real apps started as subprocesses under real servers (``App``)."""
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests
from support.net import free_port  # noqa: F401 - the auto tests import it from here

HERE = os.path.dirname(os.path.abspath(__file__))
APPS = os.path.join(HERE, "apps")
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)

HEARTBEAT_TIMEOUT = 2.0
DELETE_TIMEOUT = 4.0
BEAT = "0.5"
# How soon after SIGTERM an instance must be gone: under DELETE_TIMEOUT - BEAT (3.5 s), so an instance that
# only expired (no deregistration) cannot pass.
DEREGISTER_WITHIN = 3.0


def need(module):
    """Skip unless ``module`` imports in this interpreter."""
    return pytest.importorskip(module)


def outward_ip():
    """The test's own reading of the outward interface (UDP connect toward a public address)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("8.8.8.8", 80))
        ip = s.getsockname()[0]
    except socket.error:
        ip = "127.0.0.1"
    finally:
        s.close()
    return ip


@pytest.fixture(scope="module")
def nacos():
    from nacos.testing import NacosServer
    server = NacosServer(heartbeat_timeout=HEARTBEAT_TIMEOUT, delete_timeout=DELETE_TIMEOUT,
                         health_check_interval=0.2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def hosts(server, service, namespace="", group="DEFAULT_GROUP"):
    r = requests.get("http://%s/nacos/v1/ns/instance/list" % server.address,
                     params={"serviceName": service, "namespaceId": namespace, "groupName": group}, timeout=3)
    r.raise_for_status()
    return r.json()["hosts"]


def wait(condition, timeout, message):
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def serves(port):
    """True when the app on 127.0.0.1:``port`` answers ``GET /`` with 200."""
    try:
        return requests.get("http://127.0.0.1:%d/" % port, timeout=1).status_code == 200
    except requests.RequestException:
        return False


class App(object):
    """A real app in a subprocess (own session, so its reloader children can be signalled together)."""

    def __init__(self, args, env=None, cwd=APPS):
        self.env = dict(os.environ)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.env.update({"PYTHONPATH": os.pathsep.join([ROOT, APPS]), "PYTHONUNBUFFERED": "1",
                         "PATH": BIN + os.pathsep + os.environ.get("PATH", "")})
        self.env.update(env or {})
        self.log_path = os.path.join("/tmp" if os.path.isdir("/tmp") else ".",
                                     "nacos-auto-%s.log" % uuid.uuid4().hex[:8])
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable] + list(args), cwd=cwd, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=os.setsid)

    def output(self):
        self.log.flush()
        with open(self.log_path, "rb") as fp:
            return fp.read().decode("utf-8", "replace")

    def terminate(self, group=False):
        if group:
            os.killpg(self.proc.pid, signal.SIGTERM)
        else:
            self.proc.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout=10):
        deadline = time.time() + timeout
        while self.proc.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        return self.proc.poll()

    def close(self):
        try:  # also when the leader has exited: a reloader child it left behind is in its group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()
        self.log.close()
        try:
            os.remove(self.log_path)
        except OSError:
            pass


@pytest.fixture
def start_app():
    started = []

    def start(args, env=None, cwd=APPS):
        app = App(args, env, cwd)
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


def registered(server, app, service, ip, port, namespace="", group="DEFAULT_GROUP", within=5.0):
    """Wait until ``service`` has exactly the instance ip:port (the app must not exit meanwhile)."""
    def found():
        if app.proc.poll() is not None:
            raise AssertionError("app exited early (%s):\n%s" % (app.proc.returncode, app.output()))
        return hosts(server, service, namespace, group) or None

    try:
        now = wait(found, within, "not registered within %s s" % within)
    except AssertionError:
        raise AssertionError("%s\n--- app output:\n%s" % (sys.exc_info()[1], app.output()))
    assert [(h["ip"], h["port"]) for h in now] == [(ip, port)], (now, app.output())
    return now


def stopped(server, app, service, namespace="", group="DEFAULT_GROUP", group_kill=False):
    """SIGTERM: the instance is gone within DEREGISTER_WITHIN (before it could merely expire); returns the
    exit status."""
    app.terminate(group=group_kill)
    signalled = time.time()
    wait(lambda: not hosts(server, service, namespace, group), DEREGISTER_WITHIN,
         "still registered %s s after SIGTERM:\n%s" % (DEREGISTER_WITHIN, app.output()))
    assert time.time() - signalled < DELETE_TIMEOUT - float(BEAT)
    return app.wait_exit(10)


def check_lifecycle(server, app, service, ip, port, namespace="", group="DEFAULT_GROUP", group_kill=False,
                    extra=None):
    """Registered with ip:port within 5 s, healthy past the delete timeout, gone within 2 s of SIGTERM,
    and the process exits 0. ``extra(instance)`` may check more while it is up."""
    found = registered(server, app, service, ip, port, namespace, group)
    if extra is not None:
        extra(found[0])
    until = time.time() + DELETE_TIMEOUT + 0.6
    while time.time() < until:
        now = hosts(server, service, namespace, group)
        assert len(now) == 1 and now[0]["healthy"], ("lost health before the delete timeout", now, app.output())
        time.sleep(0.25)
    code = stopped(server, app, service, namespace, group, group_kill)
    assert code == 0, (code, app.output())
