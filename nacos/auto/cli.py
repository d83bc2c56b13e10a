"""The launcher: ``python -m nacos.auto.registration [options] TARGET [args...]`` (console script
``nacos-register``).

TARGET is run the way ``python TARGET args...`` would run it -- as ``__main__`` through :mod:`runpy`, with
``sys.argv`` and ``sys.path[0]`` set accordingly -- after registration has been activated:

* ``app.py`` / ``path/to/app.py`` / ``manage.py``: a script (its ``if __name__ == "__main__":`` block runs);
* ``gunicorn`` / ``uvicorn`` / any Python console script on PATH: that script (``nacos-register gunicorn -w 2
  app:app``);
* ``module:attr``: the app object, served on ``service.port`` (else ``$PORT``, else 8000) on all interfaces,
  by wsgiref (WSGI) or uvicorn (ASGI).

Options go before the target. After a script (``app.py --nacos-server ... --service-name ...``) the
launcher's own options are read as the launcher's too, and stderr says so; arguments after ``--`` are always
the script's. Unknown options before the target are an error (exit 2).
"""
from __future__ import absolute_import, print_function

import logging
import os
import runpy
import sys

from . import detect, notice
from .args import build_parser, split, take_options, takes_options
from .config import SettingsError, load_settings
from ..exception import NacosException
from .hooks import activate

logger = logging.getLogger(__name__)

def _resolve(target):
    """("script", path) or ("app", "module:attr"); raises ValueError with a readable message."""
    if os.path.isfile(target):
        return "script", target
    if os.path.isdir(target) and os.path.isfile(os.path.join(target, "__main__.py")):
        return "script", target
    if ":" in target and os.path.sep not in target.split(":", 1)[0]:
        return "app", target
    if os.path.sep not in target:
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            path = os.path.join(directory, target)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                with open(path, "rb") as fp:
                    first = fp.readline()
                if b"python" in first:
                    return "script", path
                raise ValueError("%s is not a Python script" % path)
    raise ValueError("cannot find %r: give app.py, path/to/app.py, module:app or a Python script on PATH"
                     % (target,))


def run_script(path, args):
    """Run ``path`` as ``__main__`` like ``python path args...`` would."""
    sys.argv[:] = [path] + list(args)
    directory = os.path.dirname(os.path.abspath(path)) if os.path.isfile(path) else os.path.abspath(path)
    if sys.path and sys.path[0] in ("", os.getcwd(), os.path.dirname(os.path.dirname(__file__))):
        sys.path[0] = directory
    else:
        sys.path.insert(0, directory)
    runpy.run_path(path, run_name="__main__")


def _load_app(spec):
    import importlib
    module_name, _, attr = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    obj = importlib.import_module(module_name)
    for part in (attr or "app").split("."):
        obj = getattr(obj, part)
    return obj


def serve_app(spec, settings, args):
    """Serve ``module:attr`` on all interfaces: wsgiref (threaded) for WSGI, uvicorn for ASGI."""
    sys.argv[:] = [spec] + list(args)
    app = _load_app(spec)
    port = settings.service.port or int(os.environ.get("PORT") or 8000)
    manager = activate()
    if detect.is_asgi(app):
        import uvicorn  # the ASGI hooks see uvicorn's sockets and lifespan
        from .asgi_wrap import wrap_asgi
        uvicorn.run(wrap_asgi(app, manager), host="0.0.0.0", port=port)
        return
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    try:
        from socketserver import ThreadingMixIn
    except ImportError:  # Python 2.7
        from SocketServer import ThreadingMixIn
    from .wrap import wrap_wsgi

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server("0.0.0.0", port, wrap_wsgi(app, manager), server_class=Server,
                         handler_class=WSGIRequestHandler)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def show_detection(settings, hint):
    """What would be registered, as far as it is known before the app runs."""
    s = settings.service
    name = s.name or detect.service_name(hint)
    ip = s.ip or "the address the server binds (%s when it binds all interfaces)" % detect.outward_ip(
        settings.nacos.server)
    lines = ["service.name = %s (%s)" % (name, settings.sources["service.name"] if s.name else "detected"),
             "service.ip   = %s" % ip,
             "service.port = %s" % (s.port or "the port the server binds (found when it listens)"),
             "nacos.server = %s" % ",".join(settings.masked("nacos.server")),
             "config file  = %s" % (settings.file or "none in %s" % os.getcwd())]
    return "\n".join(lines)


def _parse(parser, argv):
    """``(namespace, target, args, launcher options)``; options after a script are taken and said."""
    try:
        options, target, args = split(argv)
    except ValueError as exc:
        parser.error(str(exc))
    if target is not None and takes_options(target):
        taken, args, names = take_options(args)
        if names:
            notice.say(logger, logging.WARNING, "read %s after %s as the launcher's option%s (put them before "
                       "%s; after '--' they stay the app's)", ", ".join(names), target,
                       "s" if len(names) > 1 else "", target)
            options = options + taken
    return parser.parse_args(options), target, args, options


def load_live_settings(settings):
    """Read the ``config:`` sources (``--config-source``, ``NACOS_CONFIG_SOURCES``) into
    :func:`nacos.settings.current` before the app is imported, so module-level code sees them; a Flask app
    made afterwards gets them in ``app.config`` (:mod:`nacos.auto.hooks`). None without sources."""
    config = settings.config
    if not config.sources:
        return None
    from ..client import NacosClient
    from ..settings import LiveSettings, set_current
    client = NacosClient(**settings.client_kwargs())
    live = LiveSettings(client, config.sources, prefix=config.prefix, frozen=config.frozen)
    set_current(live)
    return live


def main(argv=None):
    """Console entry point. Returns the exit status (the target's own ``sys.exit`` passes through)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    ns, target, args, options = _parse(parser, argv)
    try:
        settings = load_settings(cli_args=ns)
    except SettingsError as exc:
        parser.error(str(exc))
    if ns.dry_run or ns.show_config:
        print(settings.dump())
        return 0
    if ns.show_detection:
        print(show_detection(settings, target if target and os.path.exists(target) else None))
        return 0
    if not target:
        parser.error("a target is required (app.py, module:app, or a script such as gunicorn)")
    try:
        kind, path = _resolve(target)
    except ValueError as exc:
        parser.error(str(exc))
    hint = path if kind == "script" and os.path.exists(target) else None  # not gunicorn on PATH
    try:
        load_live_settings(settings)
    except NacosException as exc:
        notice.say(logger, logging.ERROR, "cannot load the config: sources: %s", exc)
        return 1
    activate(settings, name_hint=hint, launcher_argv=options)
    if kind == "app":
        serve_app(path, settings, args)
    else:
        run_script(path, args)
    return 0
