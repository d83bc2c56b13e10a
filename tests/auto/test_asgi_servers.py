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
