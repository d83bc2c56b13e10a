"""Test helpers for the discovery adapters: real HTTP backends that report their own id, registered in the
embedded Nacos server. Python 2.7 and 3."""
import json
import socket
import threading
import time

from support.net import dead_address  # noqa: F401 - the discovery tests import it from here

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from SocketServer import ThreadingMixIn


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so pooled connections are exercised
    disable_nagle_algorithm = True  # headers and body are separate writes

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        self.server.conns.add(self.connection)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        finally:
            self.server.conns.discard(self.connection)

    def _handle(self):
        backend = self.server.backend
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        hit = {"id": backend.ident, "method": self.command, "path": self.path, "body": body,
               "host": self.headers.get("Host"), "auth": self.headers.get("Authorization"),
               "client": self.client_address[1]}
        with backend.lock:
            backend.hits.append(hit)
        if backend.mode == "drop":  # read the request, then close without an answer
            self.close_connection = True
            return
        payload = json.dumps(hit).encode("utf-8")
        self.send_response(backend.status)
        self.send_header("Content-Type", "application/json")
        if "setcookie" in self.path:
            self.send_header("Set-Cookie", "sid=%s; Path=/" % backend.ident)
        self.send_header("Content-Length", str(len(payload) if self.command != "HEAD" else 0))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def log_message(self, *args):
        pass


class Backend(object):
    """A threaded HTTP server on 127.0.0.1 answering every request with JSON naming itself (``id``) and
    echoing method, path, body, Host and Authorization. ``mode="drop"`` reads requests and closes the
    connection without answering. ``kill()`` also closes open keep-alive connections."""

    def __init__(self, ident, mode="ok", status=200):
        self.ident = ident
        self.mode = mode
        self.status = status
        self.hits = []
        self.lock = threading.Lock()
        self.server = None
        self.port = 0
        self.start()

    def start(self):
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.backend, server.conns = self, set()
        self.server, self.port = server, server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.daemon = True
        thread.start()

    def kill(self):
        server, self.server = self.server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for sock in list(server.conns):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except (OSError, socket.error):
                pass
            sock.close()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def count(self):
        with self.lock:
            return len(self.hits)


def counts(backends):
    return dict((b.ident, b.count()) for b in backends)


def list_calls(server, service, since=0):
    """The /instance/list requests the embedded server answered for ``service``."""
    return [r for r in server.request_log[since:] if r["path"].endswith("/instance/list")
            and service in str(r["query"])]


def wait_for(condition, timeout=5.0, interval=0.02):
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)
