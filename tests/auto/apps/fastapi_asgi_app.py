"""A FastAPI app; APP_TRIGGER: middleware (explicit ASGI middleware), import (the import trigger), lifespan
(nacos_lifespan), wsgi-middleware (inject_wsgi_middleware given an ASGI app)."""
import os

if os.environ.get("APP_TRIGGER") == "import":
    import nacos.auto.registration.enabled  # noqa: F401

from fastapi import FastAPI

if os.environ.get("APP_TRIGGER") == "lifespan":
    from nacos.auto.asgi_lifespan import nacos_lifespan
    app = FastAPI(lifespan=nacos_lifespan)
else:
    app = FastAPI()


@app.get("/")
def index():
    return {"ok": True}


if os.environ.get("APP_TRIGGER") == "middleware":
    from nacos.auto.middleware.asgi import inject_asgi_middleware
    app = inject_asgi_middleware(app)
elif os.environ.get("APP_TRIGGER") == "wsgi-middleware":  # the wrong one: an ASGI app gets the ASGI middleware
    from nacos.auto.middleware.wsgi import inject_wsgi_middleware
    app = inject_wsgi_middleware(app)
