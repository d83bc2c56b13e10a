"""Test-only network helpers: free/dead ports, a TLS front with a self-made CA, a forward proxy, and an
address server. All listen on 127.0.0.1 and stop with the test."""
import os
import select
import socket
import ssl
import subprocess
import threading

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from SocketServer import ThreadingMixIn


def free_port():
    """A loopback TCP port nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def dead_address():
    """``127.0.0.1:PORT`` where nothing listens (connection refused)."""
    return "127.0.0.1:%d" % free_port()


class _Threaded(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_ca(directory):
    """A CA and a server certificate for 127.0.0.1/localhost made with the openssl CLI.
    Returns (ca_cert, server_cert, server_key) paths."""
    def run(*args):
        subprocess.check_call(("openssl",) + args, cwd=directory, stdout=open(os.devnull, "w"),
                              stderr=subprocess.STDOUT)
    # the extensions Python 3.13's strict X.509 checks want (key usage on the CA, key identifiers)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=nacos-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash")
    with open(os.path.join(directory, "ext.cnf"), "w") as fp:
        fp.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
                 "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                 "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return tuple(os.path.join(directory, n) for n in ("ca.pem", "server.pem", "server.key"))


class TLSFront(object):
    """Terminates TLS on a free port and relays the bytes to ``backend`` (host, port)."""

    def __init__(self, backend, cert, key):
        self.backend = backend
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if hasattr(ssl, "PROTOCOL_TLS_SERVER")
                                      else ssl.PROTOCOL_SSLv23)
        self.context.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.address = "https://127.0.0.1:%d" % self.port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept)
        self._thread.daemon = True
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (OSError, socket.error):
                return
            t = threading.Thread(target=self._serve, args=(conn,))
            t.daemon = True
            t.start()

    def _serve(self, conn):
        try:
            tls = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError, socket.error):
            conn.close()
            return
        upstream = socket.create_connection(self.backend)
        try:
            pair = {tls: upstream, upstream: tls}
            while not self._stop.is_set():
                readable = [s for s in pair if getattr(s, "pending", lambda: 0)()] or \
                    select.select(list(pair), [], [], 0.5)[0]
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    pair[s].sendall(data)
        except (OSError, socket.error, ssl.SSLError):
            return
        finally:
            upstream.close()
            tls.close()

    def stop(self):
        self._stop.set()
        self.sock.close()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def _relay(self):
        import requests
        self.server.seen.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection"))
        resp = requests.request(self.command, self.path, data=body, headers=headers, allow_redirects=False,
                                proxies={"http": None, "https": None})
        self.send_response(resp.status_code)
        for k, v in resp.headers.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.content)))
        self.end_headers()
        self.wfile.write(resp.content)

    do_GET = do_POST = do_PUT = do_DELETE = _relay


class ForwardProxy(object):
    """A plain HTTP forward proxy that records the absolute URLs it relayed in ``seen``."""

    def __init__(self):
        self.server = _Threaded(("127.0.0.1", 0), _ProxyHandler)
        self.server.seen = self.seen = []
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever)
        self._thread.daemon = True
        self._thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class _ListHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hits.append(self.path)
        body = self.server.body[0].encode("utf-8")
        self.send_response(self.server.status[0])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class AddressServer(object):
    """Answers every GET with ``body`` (set ``.body[0]`` and ``.status[0]`` to change it)."""

    def __init__(self, body):
        self.server = _Threaded(("127.0.0.1", 0), _ListHandler)
        self.server.body = self.body = [body]
        self.server.status = self.status = [200]
        self.server.hits = self.hits = []
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever)
        self._thread.daemon = True
        self._thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
