"""HTTP plumbing: request parsing, dispatch (faults, routing, auth) and response writing.

Responses are written in one ``sendall`` (status line, headers and body together)
with ``TCP_NODELAY`` set, so keep-alive requests stay cheap.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import socket
import threading
import time
import traceback
from email.utils import formatdate

from . import errors, v3
from ._compat import BaseHTTPRequestHandler, HTTPServer, form_decode, socketserver, to_text, unquote_to_bytes

DROP = object()  # route/dispatch result: close the connection without answering


class Request(object):
    """One parsed request.

    ``path`` is the full path (context path included, no query); ``route`` the path
    under the context path; ``query``/``form`` map names to their first value;
    ``headers`` has lower-case names; ``client`` is ``(ip, port)``.
    """

    __slots__ = ("method", "path", "route", "query", "form", "headers", "body", "client")

    def __init__(self, method, path, route, query, form, headers, body, client):
        self.method, self.path, self.route = method, path, route
        self.query, self.form, self.headers = query, form, headers
        self.body, self.client = body, client

    def param(self, name, default=None):
        """A servlet parameter: the query string first, then the form body."""
        value = self.query.get(name)
        if value is None:
            value = self.form.get(name)
        return default if value is None else value


def _first_values(pairs):
    result = {}
    for name, value in pairs:
        if name not in result:
            result[name] = value
    return result


def dispatch(app, req):
    """Run faults, routing, auth and the route function; returns a Response or ``DROP``."""
    delay, drop, fail = app.faults.decide(req.path, req.method)
    if delay > 0 and app.stopping.wait(delay):
        return DROP
    if drop:
        return DROP
    if fail is not None:
        return fail
    try:
        if not app.v1 and req.route is not None and req.route.startswith("/v1/"):
            resp = v3.gone(req.route, req.method, req.path)  # before auth, as the compatibility filter
            if resp is not None:
                return resp
            if req.route in app.routes and not req.route.startswith("/v1/console/"):  # a method it never had
                if req.route.startswith("/v1/ns/"):  # 3.1's naming filter answers these before Spring
                    raise v3.spring(501, "no such api:%s:%s" % (req.method, req.path), req.path)
                exc = v3.spring(405, "Method '%s' is not supported." % req.method, req.path)
                if req.route.startswith("/v1/cs/"):
                    exc.response.content_type = errors.APPLICATION_JSON
                raise exc
            methods = None
        else:
            methods = app.routes.get(req.route) if req.route is not None else None
        if methods is None:
            if not app.v1:
                raise v3.spring(404, "No endpoint %s %s." % (req.method, req.path), req.path)
            raise errors.spring_error(404, "No message available", req.path)
        entry = methods.get(req.method)
        if entry is None:
            if not app.v1:
                raise v3.spring(405, "Method '%s' is not supported." % req.method, req.path)
            raise errors.spring_error(405, "Request method '%s' not supported" % req.method, req.path)
        func, secured = entry  # secured: False, True (2.x), "v3" or "v3-admin" (the 3.x wording)
        if secured and app.auth_enabled:
            app.auth.check_request(req, v3=secured in ("v3", "v3-admin"), admin=secured == "v3-admin")
        return func(app, req)
    except errors.HttpError as exc:
        return exc.response
    except Exception as exc:  # a bug in the embedded server: answer like an unhandled server error
        app.last_error = traceback.format_exc()
        return errors.Response(500, "caused: %s;" % exc, errors.TEXT_PLAIN)


class RequestHandler(BaseHTTPRequestHandler):
    """The per-connection handler (keep-alive, quiet)."""

    protocol_version = "HTTP/1.1"
    server_version = "Nacos-Testing"
    sys_version = ""
    timeout = None
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet: no per-request stderr output
        pass

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (socket.error, AttributeError):  # pragma: no cover
            pass
        self.server.track(self.connection, True)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        except (socket.error, ValueError):
            pass
        self.server.track(self.connection, False)

    def _read_body(self):
        headers = self.headers
        if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _build_request(self):
        app = self.server.nacos
        raw = to_text(self.path, "latin-1")
        if raw.startswith("http://") or raw.startswith("https://"):
            raw = "/" + raw.split("://", 1)[1].partition("/")[2]
        raw_path, _, raw_query = raw.partition("?")
        path = unquote_to_bytes(raw_path).decode("utf-8", "replace")
        headers = {}
        for name, value in self.headers.items():
            headers[to_text(name, "latin-1").lower()] = to_text(value, "latin-1")
        body = self._read_body()
        form = {}
        if body and "application/x-www-form-urlencoded" in headers.get("content-type", "form-urlencoded"):
            form = _first_values(form_decode(body))
        route = None
        ctx = app.context_path
        if not ctx or path == ctx or path.startswith(ctx + "/"):
            route = path[len(ctx):] or "/"
            if len(route) > 1 and route.endswith("/"):
                route = route.rstrip("/") or "/"
        client = self.client_address[:2] if self.client_address else ("", 0)
        return Request(to_text(self.command), path, route, _first_values(form_decode(raw_query)),
                       form, headers, body, client)

    def _serve(self):
        app = self.server.nacos
        req = self._build_request()
        result = dispatch(app, req)
        if result is DROP:
            app.record(req, 0)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except socket.error:
                pass
            return
        app.record(req, result.status)  # before writing, so a client that got the answer sees the entry
        self._write(result)

    def _write(self, resp):
        body = resp.body_bytes()
        lines = ["HTTP/1.1 %d %s" % (resp.status, errors.reason(resp.status))]
        if resp.content_type:
            lines.append("Content-Type: " + resp.content_type)
        for name, value in resp.headers:
            lines.append("%s: %s" % (name, value))
        lines.append("Content-Length: %d" % len(body))
        # as Tomcat does; clock_skew (test-only) lets a test play a server whose clock is off
        lines.append("Date: " + formatdate(time.time() + self.server.nacos.clock_skew, usegmt=True))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head + body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve


class ThreadedHTTPServer(socketserver.ThreadingMixIn, HTTPServer):
    """A threaded HTTP server that tracks its connections and handler threads."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address, nacos):
        self.nacos = nacos
        self.connections = set()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        HTTPServer.__init__(self, address, RequestHandler)

    def track(self, conn, add):
        """Remember (or forget) an open connection so ``stop()`` can close it."""
        with self.nacos.conn_lock:
            if add:
                self.connections.add(conn)
            else:
                self.connections.discard(conn)

    def process_request_thread(self, request, client_address):
        try:
            socketserver.ThreadingMixIn.process_request_thread(self, request, client_address)
        finally:
            self.nacos.thread_done()

    def process_request(self, request, client_address):
        self.nacos.thread_started()
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                                  name="nacos-testing-conn-%d" % self.server_address[1])
        thread.daemon = True
        thread.start()

    def handle_error(self, request, client_address):  # quiet: clients vanish all the time
        pass

    def close_all_connections(self):
        """Shut down every tracked connection (held requests included)."""
        with self.nacos.conn_lock:
            conns = list(self.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except (socket.error, OSError):
                pass
