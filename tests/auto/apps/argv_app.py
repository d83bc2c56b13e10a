"""A wsgiref app that prints its own arguments; with APP_TRIGGER=import, the import trigger."""
import os
import sys

if os.environ.get("APP_TRIGGER") == "import":
    import nacos.auto.registration.enabled  # noqa: F401

from wsgiref.simple_server import make_server


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"argv ok"]


print("app argv: %r" % (sys.argv[1:],))
sys.stdout.flush()
make_server("127.0.0.1", int(os.environ["APP_PORT"]), app).serve_forever()
