"""Issue 16, ASGI side (Python 3): the explicit lifespan integration, an ASGI app given to
``inject_wsgi_middleware`` (was: every request a 500 while the instance showed healthy), and
``uvicorn --workers 2`` under the launcher (was: never registered, no word). Real uvicorn processes against
the embedded Nacos."""
import os

import pytest
import requests

from auto_support import BEAT, BIN, free_port, need, registered, stopped, wait

pytestmark = pytest.mark.slow


def _env(nacos, service, **extra):
    env = {"NACOS_SERVER": nacos.address, "NACOS_SERVICE_NAME": service, "NACOS_HEARTBEAT_INTERVAL": BEAT}
    env.update(extra)
    return env


def _uvicorn(port, *more):
    return ["-m", "uvicorn", "fastapi_asgi_app:app", "--host", "127.0.0.1", "--port", str(port)] + list(more)


def _ok(port):
    try:
        return requests.get("http://127.0.0.1:%d/" % port, timeout=2).json() == {"ok": True}
    except (requests.RequestException, ValueError):
        return False


@pytest.mark.parametrize("how", ["lifespan", "wsgi-middleware"])
def test_fastapi_lifespan_and_an_asgi_app_given_to_the_wsgi_middleware(nacos, start_app, how):
    fastapi = need("fastapi")
    need("uvicorn")
    import inspect
    if how == "lifespan" and "lifespan" not in inspect.signature(fastapi.FastAPI.__init__).parameters:
        pytest.skip("this FastAPI has no lifespan parameter")
    port = free_port()
    service = "fastapi-%s" % how
    app = start_app(_uvicorn(port), env=_env(nacos, service, APP_TRIGGER=how))
    registered(nacos, app, service, "127.0.0.1", port)
    assert wait(lambda: _ok(port), 5.0, "requests fail:\n%s" % app.output())
    assert stopped(nacos, app, service) == 0, app.output()


def test_uvicorn_workers_under_the_launcher(nacos, start_app):
    need("fastapi")
    need("uvicorn")
    if not os.path.exists(os.path.join(BIN, "uvicorn")):
        pytest.skip("no uvicorn script")
    port = free_port()
    app = start_app(["-m", "nacos.auto.registration", "uvicorn"] + _uvicorn(port, "--workers", "2")[2:],
                    env=_env(nacos, "uvicorn-workers"))
    registered(nacos, app, "uvicorn-workers", "127.0.0.1", port, within=10.0)
    assert wait(lambda: _ok(port), 10.0, "workers do not serve:\n%s" % app.output())
    code = stopped(nacos, app, "uvicorn-workers")
    assert code == 0, (code, app.output())
