"""A FastAPI app with the explicit ASGI middleware (or, with APP_TRIGGER=import, the import trigger)."""
import os

if os.environ.get("APP_TRIGGER") == "import":
    import nacos.auto.registration.enabled  # noqa: F401

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {"ok": True}


if os.environ.get("APP_TRIGGER") == "middleware":
    from nacos.auto.middleware.asgi import inject_asgi_middleware
    app = inject_asgi_middleware(app)
