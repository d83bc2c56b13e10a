"""Flask with app.config kept equal to Nacos settings (docs/settings.md).

    NACOS_SERVER=127.0.0.1:8848 python examples/settings_flask.py

Zero-code alternative, no nacos import in the app: ``nacos-register --config-source app.yaml app.py`` binds
every Flask app created afterwards, and ``nacos.settings.current()`` works at module level.
"""
import os

from flask import Flask, current_app

import nacos
from nacos.settings import LiveSettings, Source
from nacos.settings.flask import bind

client = nacos.NacosClient(os.environ.get("NACOS_SERVER", "127.0.0.1:8848"))
settings = LiveSettings(client, [Source("app.yaml"), Source("app-local.yaml", required=False)])

app = Flask(__name__)
app.config["GREETING"] = "default"     # the app's own default; Nacos's greeting overrides it
bind(app, settings)                     # app.config["GREETING"], app.config["DB_HOST"], ... updated in place


@app.route("/")
def index():
    return "%s (db %s)" % (current_app.config["GREETING"], current_app.config.get("DB_HOST"))


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "5000")))
