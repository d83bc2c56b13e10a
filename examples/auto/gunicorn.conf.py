"""gunicorn's server hooks register any WSGI app, with no change to the app (Python 2.7 and 3):

    NACOS_SERVER=127.0.0.1:8848 NACOS_SERVICE_NAME=hello \
        gunicorn -c examples/auto/gunicorn.conf.py -w 2 -b 0.0.0.0:8000 --chdir examples/auto flask_app:app

(or ``gunicorn -c python:nacos.auto.gunicorn ...`` without a config file of your own). Each worker registers
the ip:port gunicorn bound; the last worker to exit deregisters.
"""
from nacos.auto.gunicorn import post_worker_init, worker_exit  # noqa: F401
