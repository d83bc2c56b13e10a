"""A plain Flask app. Register it without touching the code:

    nacos-register --nacos-server 127.0.0.1:8848 --service-name hello examples/auto/flask_app.py
    nacos-register gunicorn -w 2 -b 0.0.0.0:8000 --chdir examples/auto flask_app:app

or run it under gunicorn with examples/auto/gunicorn.conf.py (the server hooks), or uncomment the import
below and run ``python flask_app.py`` / ``gunicorn flask_app:app`` with
NACOS_SERVER set. See docs/auto-registration.md.
"""
# import nacos.auto.registration.enabled  # the import trigger: must come before Flask is imported
import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello from %s\n" % os.getpid()


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
