"""A FastAPI app with the explicit ASGI middleware (Python 3):

    NACOS_SERVER=127.0.0.1:8848 uvicorn fastapi_app:app --app-dir examples/auto --host 0.0.0.0 --port 8000

(or, without the middleware lines: ``nacos-register uvicorn fastapi_app:app ...``).
"""
from fastapi import FastAPI

from nacos.auto.middleware.asgi import inject_asgi_middleware

app = FastAPI()


@app.get("/")
def hello():
    return {"hello": "world"}


app = inject_asgi_middleware(app)  # registers once uvicorn listens; lifespan shutdown deregisters
