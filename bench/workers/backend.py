"""A keep-alive HTTP/1.1 backend answering ``GET /ping`` with ``ok`` (standard library only).

``backend.py`` run as a script serves on a free 127.0.0.1 port in its own process, prints the port on one line
and stops when stdin closes (so a worker's CPU figure does not include the backend's). ``Handler`` and
``Server`` are imported by ``adapter_overhead.py``, which runs the backend in-process.
"""
import sys
import threading

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from SocketServer import ThreadingMixIn


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


def start(server):
    t = threading.Thread(target=server.serve_forever)
    t.daemon = True
    t.start()
    return t


if __name__ == "__main__":
    srv = Server(("127.0.0.1", 0), Handler)
    start(srv)
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()
    sys.stdin.read()
