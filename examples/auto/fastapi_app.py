"""A FastAPI app with the explicit ASGI integration, a lifespan (Python 3):

    NACOS_SERVER=127.0.0.1:8848 uvicorn fastapi_app:app --app-dir examples/auto --host 0.0.0.0 --port 8000

Registers once uvicorn listens; shutdown deregisters before the app's own shutdown code. Without these
lines: ``nacos-register uvicorn fastapi_app:app ...`` or ``app = inject_asgi_middleware(app)``.
"""
from fastapi import FastAPI

from nacos.auto.asgi_lifespan import nacos_lifespan

app = FastAPI(lifespan=nacos_lifespan)  # around a lifespan of your own: nacos_lifespan(my_lifespan)


@app.get("/")
def hello():
    return {"hello": "world"}
