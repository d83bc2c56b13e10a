"""Live settings in real app processes: a publish reaches a running Flask (zero-code: ``--config-source``,
loaded before the app module is imported), Django (``load_into`` in settings.py) and FastAPI (a ``LiveModel``
dependency) app; an invalid YAML publish is logged and the last good values served.

Against the embedded server, or a real Nacos when ``NACOS_SERVER_ADDR`` is set (``.ci/real-server`` runs it
against 2.x and 3.x without v1; credentials from ``NACOS_USERNAME``/``NACOS_PASSWORD``, which the apps read too;
on a real server every test uses the public namespace and a group of its own)."""
import os
import sys
import time
import uuid

import pytest
import requests

from auto_support import BIN, free_port, need, wait

REAL = os.environ.get("NACOS_SERVER_ADDR", "").strip()

LAUNCHER = ["-m", "nacos.auto.registration"]
WITHIN = 10.0  # the app answers the new value within this (measured: well under 1 s)
pytestmark = pytest.mark.slow


def read(port):
    try:
        resp = requests.get("http://127.0.0.1:%d/" % port, timeout=2)
    except requests.RequestException:
        return None
    return resp.json() if resp.status_code == 200 else None


def served(app, port, expected, within=WITHIN):
    """Wait until GET / answers a dict containing ``expected``; returns the seconds it took."""
    started = time.time()

    def check():
        if app.proc.poll() is not None:
            raise AssertionError("app exited (%s):\n%s" % (app.proc.returncode, app.output()))
        body = read(port)
        return body is not None and all(body.get(k) == v for k, v in expected.items())

    try:
        wait(check, within, "not served: %r" % (expected,))
    except AssertionError:
        raise AssertionError("%s; last %r\n--- app output:\n%s" % (sys.exc_info()[1], read(port), app.output()))
    return time.time() - started


def live_cycle(nacos, app, port, namespace, group, extra=None, num=str):
    """Initial values, a good publish (served within WITHIN), a bad YAML publish (ignored, logged).
    ``num``: how the app serves limits.max (properties values are text; a pydantic model makes them int)."""
    expected = {"greeting": "hello", "limit": num(5)}
    expected.update(extra or {})
    served(app, port, expected, within=30.0)
    nacos.configs.publish((namespace, group, "app.yaml"), "greeting: hi\nlimits:\n  max: 1\n")
    took = served(app, port, {"greeting": "hi", "limit": num(5)})  # over.properties still wins for limits.max
    nacos.configs.publish((namespace, group, "app.yaml"), "greeting: [broken\n")
    wait(lambda: "not valid yaml" in app.output(), WITHIN, "the bad publish was not logged:\n" + app.output())
    assert read(port)["greeting"] == "hi"
    nacos.configs.publish((namespace, group, "over.properties"), "limits.max=9\n")
    served(app, port, {"greeting": "hi", "limit": num(9)})
    return took


def publish_sources(nacos, namespace, group):
    nacos.configs.publish((namespace, group, "app.yaml"), "greeting: hello\nlimits:\n  max: 1\n")
    nacos.configs.publish((namespace, group, "over.properties"), "limits.max=5\n")
    return "app.yaml:%s,over.properties:%s" % (group, group)


def names():
    return "" if REAL else "ns-%s" % uuid.uuid4().hex[:8], "G-%s" % uuid.uuid4().hex[:8]


class _RealConfigs(object):
    """``configs.publish((namespace, group, data_id), content)`` on a real Nacos, through the client (the
    embedded server's store has the same call); returns once the server reads the new content back."""

    def __init__(self, address):
        self.address = address

    def publish(self, key, content):
        import nacos as sdk
        namespace, group, data_id = key
        client = sdk.NacosClient(self.address, namespace=namespace, username=os.environ.get("NACOS_USERNAME"),
                                 password=os.environ.get("NACOS_PASSWORD"), snapshot_base=None,
                                 failover_base=None)
        try:
            assert client.publish_config(data_id, group, content)
            wait(lambda: client.get_config(data_id, group) == content, 10, "publish not visible")
        finally:
            client.stop()


class _Real(object):
    def __init__(self, address):
        self.address = address
        self.configs = _RealConfigs(address)


@pytest.fixture(scope="module")
def nacos():
    """The server the apps read: a real one (NACOS_SERVER_ADDR) or the embedded one."""
    if REAL:
        yield _Real(REAL)
        return
    from nacos.testing import NacosServer
    server = NacosServer(health_check_interval=0.2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_flask_zero_code_config_sources(nacos, start_app):
    need("flask")
    namespace, group = names()
    publish_sources(nacos, namespace, group)
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--namespace", namespace, "--no-auto-register",
                                "--log-level", "WARNING", "--config-source", "app.yaml:" + group,
                                "--config-source", "over.properties:" + group, "settings_flask_app.py"],
                    env={"APP_PORT": str(port)})
    took = live_cycle(nacos, app, port, namespace, group, {"at_import": "hello"})
    print("flask: publish -> app.config %.3f s" % took)


def test_gunicorn_two_workers_zero_code(nacos, start_app):
    """The launcher loads the sources in gunicorn's master; each forked worker keeps them current."""
    need("flask")
    script = os.path.join(BIN, "gunicorn")
    if not os.path.exists(script):
        pytest.skip("gunicorn is not installed")
    namespace, group = names()
    publish_sources(nacos, namespace, group)
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--namespace", namespace, "--no-auto-register",
                                "--config-source", "app.yaml:%s,over.properties:%s" % (group, group),
                                script, "-w", "2", "-b", "127.0.0.1:%d" % port, "settings_flask_app:app"],
                    env={"APP_PORT": str(port)})
    served(app, port, {"greeting": "hello"}, within=30.0)
    nacos.configs.publish((namespace, group, "app.yaml"), "greeting: hi\n")
    served(app, port, {"greeting": "hi"})
    # both workers: every one of a run of new connections (spread over the workers) answers the new value
    # (each worker's watcher learns of it on its own: allow it the same time)
    wait(lambda: [(read(port) or {}).get("greeting") for _ in range(20)] == ["hi"] * 20, WITHIN,
         "a worker still serves the old value:\n" + app.output())


def test_zero_code_required_source_missing_fails_the_start(nacos, start_app):
    need("flask")
    namespace, group = names()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--namespace", namespace, "--no-auto-register",
                                "--config-source", "missing.yaml:" + group, "settings_flask_app.py"],
                    env={"APP_PORT": str(free_port())})
    assert app.wait_exit(30) == 1, app.output()
    assert "missing.yaml" in app.output() and "does not exist" in app.output()


def test_django_settings(nacos, start_app):
    need("django")
    namespace, group = names()
    sources = publish_sources(nacos, namespace, group)
    port = free_port()
    app = start_app(["-m", "django", "runserver", "127.0.0.1:%d" % port, "--noreload"],
                    env={"DJANGO_SETTINGS_MODULE": "settings_site.settings", "NACOS_SERVER": nacos.address,
                         "NACOS_NAMESPACE": namespace, "SETTINGS_SOURCES": sources})
    took = live_cycle(nacos, app, port, namespace, group, {"debug": False})
    # DEBUG may change at runtime; ROOT_URLCONF is read once at startup: logged, not applied
    nacos.configs.publish((namespace, group, "over.properties"), "limits.max=9\ndebug=yes\nroot_urlconf=nope\n")
    served(app, port, {"debug": "yes"})
    wait(lambda: "ROOT_URLCONF changed in Nacos" in app.output(), WITHIN, app.output())
    print("django: publish -> settings %.3f s" % took)


@pytest.mark.skipif(sys.version_info < (3, 7), reason="FastAPI needs Python 3.7+")
def test_fastapi_live_model(nacos, start_app):
    need("fastapi")
    need("uvicorn")
    namespace, group = names()
    sources = publish_sources(nacos, namespace, group)
    port = free_port()
    app = start_app(["settings_fastapi_app.py"],
                    env={"APP_PORT": str(port), "NACOS_SERVER": nacos.address, "NACOS_NAMESPACE": namespace,
                         "SETTINGS_SOURCES": sources})
    took = live_cycle(nacos, app, port, namespace, group, num=int)
    print("fastapi: publish -> model %.3f s" % took)
