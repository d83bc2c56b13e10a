"""A plain Flask app (no nacos import): run by the launcher, served by app.run in its main block."""
import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "flask ok"


if __name__ == "__main__":
    app.run(host=os.environ.get("APP_HOST", "127.0.0.1"), port=int(os.environ["APP_PORT"]),
            use_reloader=os.environ.get("APP_RELOAD") == "1")
