"""gunicorn server hooks, the explicit integration for gunicorn (no import trigger, no middleware)::

    # gunicorn.conf.py
    from nacos.auto.gunicorn import post_worker_init, worker_exit  # noqa: F401

or ``gunicorn -c python:nacos.auto.gunicorn app:app`` when there is no config file of your own.

``post_worker_init`` activates the registration in each worker with the worker's listening sockets (the
port gunicorn bound, ``--bind``), so every worker registers the same ip:port and beats for it;
``worker_exit`` deregisters when the last worker serving it leaves (see :mod:`nacos.auto.workers`).
Settings come from the environment and ``nacos.yaml``.
"""
from __future__ import absolute_import

from .hooks import activate


def post_worker_init(worker):
    """gunicorn hook: register this worker's ip:port."""
    manager = activate()
    if manager is None:
        return
    for sock in getattr(worker, "sockets", None) or []:
        address = sock.getsockname()
        if isinstance(address, tuple):
            manager.server_started(address[0], address[1], "gunicorn worker")
            return
    manager.app_ready("gunicorn")


def worker_exit(server, worker):
    """gunicorn hook: leave the instance (the last worker deregisters it)."""
    from .runtime import current
    manager = current()
    if manager is not None:
        manager.deregister()
