"""A Flask app with the import trigger (for gunicorn: ``gunicorn flask_enabled:app``)."""
import nacos.auto.registration.enabled  # noqa: F401  (first: patches Flask before the app is created)

import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "flask enabled ok %d" % os.getpid()


if __name__ == "__main__":
    app.run(host=os.environ.get("APP_HOST", "127.0.0.1"), port=int(os.environ["APP_PORT"]),
            use_reloader=os.environ.get("APP_RELOAD") == "1")
