"""Signal handling: deregister, then chain to the handler that was there before; never swallow a signal;
and leave the default action alone in a process that registered nothing. Also registration on the first
request, and retries until the Nacos server comes up."""
import signal
import time

import requests

from auto_support import BEAT, DEREGISTER_WITHIN, free_port, hosts, serves, wait

SCRIPT = """
import os, signal, sys

def previous(signum, frame):
    print("previous handler ran for %d" % signum)
    sys.stdout.flush()
    sys.exit(0)

if os.environ.get("CHAIN") == "1":
    signal.signal(signal.SIGTERM, previous)

import nacos.auto.registration.enabled
from wsgiref.simple_server import make_server

def app(environ, start_response):
    start_response("200 OK", [])
    return [b"ok"]

make_server("127.0.0.1", int(os.environ["APP_PORT"]), app).serve_forever()
"""


def _script(tmpdir):
    path = tmpdir.join("server_script.py")
    path.write(SCRIPT)
    return str(path)


def test_previous_handler_runs_after_deregistration(nacos, start_app, tmpdir):
    port = free_port()
    app = start_app([_script(tmpdir)], env={"NACOS_SERVER": nacos.address, "NACOS_SERVICE_NAME": "chain",
                                            "NACOS_HEARTBEAT_INTERVAL": BEAT, "APP_PORT": str(port), "CHAIN": "1"})
    wait(lambda: hosts(nacos, "chain"), 5.0, "not registered:\n%s" % app.output())
    app.terminate()
    wait(lambda: not hosts(nacos, "chain"), DEREGISTER_WITHIN, "still registered")
    assert app.wait_exit(5) == 0
    assert "previous handler ran for %d" % signal.SIGTERM in app.output()


def test_without_a_registration_the_default_action_is_kept(nacos, start_app, tmpdir):
    port = free_port()
    app = start_app([_script(tmpdir)], env={"NACOS_SERVER": nacos.address, "NACOS_AUTO_REGISTER": "false",
                                            "APP_PORT": str(port)})
    wait(lambda: serves(port), 5.0, "app did not start:\n%s" % app.output())
    app.terminate()
    assert app.wait_exit(5) == -signal.SIGTERM  # killed by the signal, as without nacos.auto
    assert not hosts(nacos, "server-script")


def _listens(port):
    import socket
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except socket.error:
        return False


def test_register_on_request_only_and_retries(start_app, tmpdir):
    """--register-on-request: nothing at startup; the first request registers. The Nacos server starts
    late: the retries (--retry-times/--retry-interval) get through once it is up."""
    from nacos.testing import NacosServer
    nacos_port = free_port()
    port = free_port()
    app = start_app(["-m", "nacos.auto.registration", "--nacos-server", "127.0.0.1:%d" % nacos_port,
                     "--service-name", "lazy", "--register-on-request", "--retry-times", "20",
                     "--retry-interval", "0.2", "--heartbeat-interval", BEAT, "--service-port", str(port),
                     "wsgi_plain:application"])
    wait(lambda: _listens(port), 5.0, "app did not start:\n%s" % app.output())  # no HTTP request yet
    server = NacosServer(port=nacos_port, heartbeat_timeout=2, delete_timeout=4, health_check_interval=0.2)
    server.start()
    try:
        time.sleep(1.0)
        assert not hosts(server, "lazy")  # not at startup, although the server is up
        assert requests.get("http://127.0.0.1:%d/" % port, timeout=3).text == "plain ok"
        wait(lambda: hosts(server, "lazy"), 5.0, "first request did not register:\n%s" % app.output())
        app.terminate()
        wait(lambda: not hosts(server, "lazy"), DEREGISTER_WITHIN, "still registered:\n%s" % app.output())
        assert app.wait_exit(5) == 0
    finally:
        server.stop()
