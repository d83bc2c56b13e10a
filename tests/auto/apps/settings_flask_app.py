"""Flask under the launcher with ``--config-source``: module-level code reads nacos.settings.current() (loaded
before this import), and app.config follows the live settings (bound when the Flask app was made)."""
import json
import os

from flask import Flask

import nacos.settings

AT_IMPORT = nacos.settings.current().get("greeting")  # proves the sources were read before the import

app = Flask(__name__)


@app.route("/")
def index():
    return json.dumps({"at_import": AT_IMPORT, "greeting": app.config.get("GREETING"),
                       "limit": app.config.get("LIMITS_MAX")})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["APP_PORT"]), use_reloader=False)
