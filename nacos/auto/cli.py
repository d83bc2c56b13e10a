"""The launcher: ``python -m nacos.auto.registration [options] TARGET [args...]`` (console script
``nacos-register``).

TARGET is run the way ``python TARGET args...`` would run it -- as ``__main__`` through :mod:`runpy`, with
``sys.argv`` and ``sys.path[0]`` set accordingly -- after registration has been activated:

* ``app.py`` / ``path/to/app.py`` / ``manage.py``: a script (its ``if __name__ == "__main__":`` block runs);
* ``gunicorn`` / ``uvicorn`` / any Python console script on PATH: that script (``nacos-register gunicorn -w 2
  app:app``);
* ``module:attr``: the app object, served on ``service.port`` (else ``$PORT``, else 8000) on all interfaces,
  by wsgiref (WSGI) or uvicorn (ASGI).

Options go BEFORE the target; everything after it is the target's. Unknown options are an error (exit 2).
"""
from __future__ import absolute_import, print_function

import argparse
import os
import runpy
import sys

from .config import SettingsError, load_settings
from .fields import FIELDS

DESCRIPTION = ("Run a Flask, Django or FastAPI app (or gunicorn/uvicorn) with Nacos service registration. "
               "Settings: these options > environment variables > nacos.yaml/application.yaml in the working "
               "directory > defaults.")
EPILOG = ("examples: nacos-register --nacos-server 10.0.0.5:8848 --service-name orders app.py | "
          "nacos-register gunicorn -w 2 -b 0.0.0.0:8000 app:app | nacos-register mymodule:app")


def _help(field):
    return "%s [env %s; yaml %s]" % (field.help, field.env, field.key)


def build_parser(options_only=False):
    """The launcher's argparse parser, built from :data:`nacos.auto.fields.FIELDS`. Every option's default
    is None ("not given"), so the other sources show through."""
    parser = argparse.ArgumentParser(prog="nacos-register", description=DESCRIPTION, epilog=EPILOG)
    for field in FIELDS:
        if field.flag_kind == "value":
            parser.add_argument(field.flag, dest=field.dest, metavar=field.metavar, help=_help(field))
        elif field.flag_kind == "append":
            parser.add_argument(field.flag, dest=field.dest, metavar=field.metavar, action="append",
                                help=_help(field))
        elif field.flag_kind == "bool":
            negative = "--no-" + field.flag[2:]
            parser.add_argument(field.flag, dest=field.dest, action="store_const", const=True,
                                help=_help(field))
            parser.add_argument(negative, dest=field.dest, action="store_const", const=False,
                                help="the opposite of %s" % field.flag)
    parser.add_argument("--dry-run", action="store_true",
                        help="print the merged settings (secrets masked) and exit without running anything")
    parser.add_argument("--show-config", action="store_true", help="the same as --dry-run")
    if not options_only:
        parser.add_argument("target", nargs="?", help="app.py, module:app, or a Python script on PATH")
        parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the target")
    return parser


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


def _is_asgi(app):
    if sys.version_info[0] < 3:
        return False
    import inspect
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(type(app), "__call__", None)
    return inspect.iscoroutinefunction(call)


def serve_app(spec, settings, args):
    """Serve ``module:attr`` on all interfaces: wsgiref (threaded) for WSGI, uvicorn for ASGI."""
    sys.argv[:] = [spec] + list(args)
    app = _load_app(spec)
    port = settings.service.port or int(os.environ.get("PORT") or 8000)
    if _is_asgi(app):
        import uvicorn  # the ASGI hooks see uvicorn's sockets and lifespan
        from .middleware.asgi import inject_asgi_middleware
        uvicorn.run(inject_asgi_middleware(app), host="0.0.0.0", port=port)
        return
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    try:
        from socketserver import ThreadingMixIn
    except ImportError:  # Python 2.7
        from SocketServer import ThreadingMixIn
    from .middleware.wsgi import inject_wsgi_middleware

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server("0.0.0.0", port, inject_wsgi_middleware(app), server_class=Server,
                         handler_class=WSGIRequestHandler)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv=None):
    """Console entry point. Returns the exit status (the target's own ``sys.exit`` passes through)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    ns = parser.parse_args(argv)
    try:
        settings = load_settings(cli_args=ns)
    except SettingsError as exc:
        parser.error(str(exc))
    if ns.dry_run or ns.show_config:
        print(settings.dump())
        return 0
    if not ns.target:
        parser.error("a target is required (app.py, module:app, or a script such as gunicorn)")
    try:
        kind, target = _resolve(ns.target)
    except ValueError as exc:
        parser.error(str(exc))
    options = argv[:len(argv) - len(ns.args) - 1]
    from . import runtime
    hint = target if kind == "script" and os.path.exists(ns.target) else None  # not gunicorn on PATH
    runtime.activate(settings, name_hint=hint, launcher_argv=options)
    if kind == "app":
        serve_app(target, settings, ns.args)
    else:
        run_script(target, ns.args)
    return 0
