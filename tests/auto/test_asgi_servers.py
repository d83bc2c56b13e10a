"""FastAPI under uvicorn (Python 3): explicit ASGI middleware, the import trigger, and the launcher running
uvicorn; each registered with the real ip:port, kept alive, and gone after SIGTERM (lifespan shutdown)."""
import os

import pytest

from auto_support import BEAT, BIN, check_lifecycle, free_port, need

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("how", ["middleware", "import", "launcher"])
def test_fastapi_under_uvicorn(nacos, start_app, how):
    need("fastapi")
    need("uvicorn")
    port = free_port()
    service = "fastapi-%s" % how
    env = {"NACOS_SERVER": nacos.address, "NACOS_SERVICE_NAME": service, "NACOS_HEARTBEAT_INTERVAL": BEAT}
    uvicorn = ["-m", "uvicorn", "fastapi_asgi_app:app", "--host", "127.0.0.1", "--port", str(port)]
    if how == "launcher":
        if not os.path.exists(os.path.join(BIN, "uvicorn")):
            pytest.skip("no uvicorn script")
        args = ["-m", "nacos.auto.registration", "--service-ip", "10.9.8.7", "uvicorn"] + uvicorn[2:]
        app = start_app(args, env=env)
        check_lifecycle(nacos, app, service, "10.9.8.7", port)
    else:
        env["APP_TRIGGER"] = how
        app = start_app(uvicorn, env=env)
        check_lifecycle(nacos, app, service, "127.0.0.1", port)


def test_metrics_endpoint_of_the_asgi_shim(nacos, start_app):
    need("fastapi")
    need("uvicorn")
    import requests
    port = free_port()
    env = {"NACOS_SERVER": nacos.address, "NACOS_SERVICE_NAME": "fastapi-metrics", "NACOS_HEARTBEAT_INTERVAL": BEAT,
           "APP_TRIGGER": "middleware", "NACOS_METRICS_PATH": "/nacos/metrics"}
    app = start_app(["-m", "uvicorn", "fastapi_asgi_app:app", "--host", "127.0.0.1", "--port", str(port)], env=env)

    def scraped(instance):
        r = requests.get("http://127.0.0.1:%d/nacos/metrics" % port, timeout=3)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain; version=0.0.4")
        assert "nacos_naming_managed_instances 1" in r.text
        assert requests.get("http://127.0.0.1:%d/" % port, timeout=3).json() == {"ok": True}

    check_lifecycle(nacos, app, "fastapi-metrics", "127.0.0.1", port, extra=scraped)
