"""Zero-code registration (Flask, Django, FastAPI) and the discovery adapters against a server WITHOUT the v1 API
(Nacos 3.2+ without the legacy adapter, or 3.x with client compatibility off), unchanged: the embedded server in
that mode, or a real one when ``NACOS_V3_SERVER_ADDR`` is set (``.ci/real-server`` runs it against a real 3.x,
auth off and on; credentials from ``NACOS_USERNAME``/``NACOS_PASSWORD``, which the apps read as well).

Instances are checked with the v3 list itself (``GET /v3/client/ns/instance/list``, every cluster)."""
import os
import sys
import time
import uuid

import pytest
import requests

from auto_support import BEAT, free_port, need, wait

pytestmark = pytest.mark.slow

REAL_V3 = os.environ.get("NACOS_V3_SERVER_ADDR", "").strip()
LAUNCHER = ["-m", "nacos.auto.registration"]


class _RealV3(object):
    def __init__(self, address):
        self.address = address


@pytest.fixture(scope="module")
def v3_nacos():
    if REAL_V3:
        yield _RealV3(REAL_V3)
        return
    from nacos.testing import NacosServer
    server = NacosServer(v1=False, heartbeat_timeout=2.0, delete_timeout=4.0, health_check_interval=0.2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _token(address):
    user, password = os.environ.get("NACOS_USERNAME"), os.environ.get("NACOS_PASSWORD")
    if not (REAL_V3 and user and password):
        return None
    r = requests.post("http://%s/nacos/v3/auth/user/login" % address, data={"username": user, "password": password},
                      timeout=5)
    r.raise_for_status()
    return r.json()["accessToken"]


def v3_hosts(server, service, group="DEFAULT_GROUP"):
    params = {"serviceName": service, "groupName": group, "clusterName": ","}
    token = _token(server.address)
    if token:
        params["accessToken"] = token
    r = requests.get("http://%s/nacos/v3/client/ns/instance/list" % server.address, params=params, timeout=5)
    r.raise_for_status()
    body = r.json()
    assert body["code"] == 0, body
    return body["data"]


def lifecycle(server, app, service, ip, port):
    """Registered with ip:port, kept alive past the embedded server's delete timeout (beats over the v3 API),
    gone soon after SIGTERM (deregistered, not expired), exit code 0."""
    def registered():
        if app.proc.poll() is not None:
            raise AssertionError("app exited early (%s):\n%s" % (app.proc.returncode, app.output()))
        return v3_hosts(server, service) or None

    try:
        found = wait(registered, 20.0 if REAL_V3 else 8.0, "not registered")
    except AssertionError as exc:
        raise AssertionError("%s\n--- app output:\n%s" % (exc, app.output()))
    assert [(h["ip"], h["port"]) for h in found] == [(ip, port)], (found, app.output())
    if not REAL_V3:
        time.sleep(4.6)  # past the delete timeout: only v3 beats keep it
        now = v3_hosts(server, service)
        assert len(now) == 1 and now[0]["healthy"], ("lost health before the delete timeout", now, app.output())
    app.terminate()
    wait(lambda: not v3_hosts(server, service), 3.0 if not REAL_V3 else 6.0,
         "still registered after SIGTERM:\n%s" % app.output())
    assert app.wait_exit(10) == 0, app.output()


def _service(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def test_flask_under_the_launcher(v3_nacos, start_app):
    need("flask")
    port, service = free_port(), _service("v3-flask")
    app = start_app(LAUNCHER + ["--nacos-server", v3_nacos.address, "--service-name", service,
                                "--heartbeat-interval", BEAT, "flask_app.py"],
                    env={"APP_PORT": str(port), "APP_HOST": "127.0.0.1"})
    lifecycle(v3_nacos, app, service, "127.0.0.1", port)


def test_django_runserver_under_the_launcher(v3_nacos, start_app):
    need("django")
    port, service = free_port(), _service("v3-django")
    app = start_app(LAUNCHER + ["--nacos-server", v3_nacos.address, "--service-name", service,
                                "--service-ip", "127.0.0.1", "--heartbeat-interval", BEAT,
                                "manage.py", "runserver", "--noreload", "127.0.0.1:%d" % port])
    lifecycle(v3_nacos, app, service, "127.0.0.1", port)


def test_fastapi_under_uvicorn_with_the_middleware(v3_nacos, start_app):
    need("fastapi")
    need("uvicorn")
    port, service = free_port(), _service("v3-fastapi")
    env = {"NACOS_SERVER": v3_nacos.address, "NACOS_SERVICE_NAME": service, "NACOS_HEARTBEAT_INTERVAL": BEAT,
           "APP_TRIGGER": "middleware"}
    app = start_app(["-m", "uvicorn", "fastapi_asgi_app:app", "--host", "127.0.0.1", "--port", str(port)], env=env)
    lifecycle(v3_nacos, app, service, "127.0.0.1", port)


def test_discovery_requests_adapter_calls_a_service_by_name(v3_nacos, tmpdir):
    """``http://<service>/path`` through the requests adapter, to backends registered over the v3 API; a
    deregistered backend stops receiving once the subscription polls again (no push on v3)."""
    import nacos
    from nacos.auto.discovery import Discovery
    from nacos.auto.discovery import settings as S
    from nacos.auto.discovery.ext import requests as nacos_requests
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "discovery"))
    from discovery_support import Backend

    credentials = {}
    if REAL_V3 and os.environ.get("NACOS_USERNAME"):
        credentials = {"username": os.environ["NACOS_USERNAME"], "password": os.environ["NACOS_PASSWORD"]}
    registrar = nacos.NacosClient(v3_nacos.address, naming_cache_dir=None, **credentials)
    backends = [Backend("b0"), Backend("b1")]
    service = _service("v3-disc")
    discovery = Discovery(S.build(load=False, server=v3_nacos.address,
                                  client_options=dict(naming_cache_dir=None, naming_poll_interval=1.0,
                                                      **credentials)))
    try:
        for backend in backends:
            assert registrar.add_naming_instance(service, "127.0.0.1", backend.port)
        session = nacos_requests.Session(discovery=discovery)

        def ids(n):
            return set(session.get("http://%s/echo" % service, timeout=5).json()["id"] for _ in range(n))

        assert wait(lambda: ids(6) == set(["b0", "b1"]), 10.0, "both backends not reached")
        assert registrar.remove_naming_instance(service, "127.0.0.1", backends[0].port)
        assert wait(lambda: ids(6) == set(["b1"]), 10.0, "the deregistered backend still receives")
        assert registrar.api_dialect("naming") == "v3"
    finally:
        discovery.close()
        registrar.stop()
        for backend in backends:
            backend.kill()
