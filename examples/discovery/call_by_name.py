"""Call a service by its Nacos name with urllib and requests.

Starts two small HTTP backends on 127.0.0.1, registers them as the service ``hello`` in the Nacos at
NACOS_SERVER (host:port) - or in the embedded server when that is unset - then calls
``http://hello/greet`` a few times through each adapter and prints which instance answered.
Runs on Python 2.7 and 3.6+.
"""
from __future__ import print_function

import os
import threading

import nacos
from nacos.auto.discovery import configure
from nacos.auto.discovery.ext import requests as nacos_requests
from nacos.auto.discovery.ext.urllib import urlopen

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer


def backend(name):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = ("hello from %s (%s)\n" % (name, self.path)).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    return server


def main():
    address = os.environ.get("NACOS_SERVER")
    embedded = None
    if not address:
        from nacos.testing import NacosServer
        embedded = NacosServer(push_mode="all")
        embedded.start()
        address = embedded.address
        print("NACOS_SERVER is not set: started the embedded server at %s" % address)
    backends = [backend("instance-1"), backend("instance-2")]
    registrar = nacos.NacosClient(address, naming_cache_dir=None)
    try:
        for server in backends:
            registrar.add_naming_instance("hello", "127.0.0.1", server.server_address[1])
        # the same settings as auto-registration (nacos.yaml, NACOS_* variables); keywords win
        configure(server=address, strategy="round_robin", retries=2,
                  client_options={"naming_cache_dir": None})  # no disk cache for this demo
        for _ in range(2):
            print("requests:", nacos_requests.get("http://hello/greet?via=requests", timeout=5).text.strip())
        for _ in range(2):
            print("urllib:  ", urlopen("http://hello/greet?via=urllib", timeout=5).read().decode().strip())
        print("an IP URL goes through unchanged:",
              nacos_requests.get("http://127.0.0.1:%d/direct" % backends[0].server_address[1], timeout=5).text.strip())
    finally:
        for server in backends:
            registrar.remove_naming_instance("hello", "127.0.0.1", server.server_address[1])
            server.shutdown()
        registrar.stop()
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
