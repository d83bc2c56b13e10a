"""The quickstart (examples/quickstart.py) against the test's server: the embedded one serving v1 and without v1,
or a real Nacos (NACOS_SERVER_ADDR, with NACOS_USERNAME/NACOS_PASSWORD when auth is on), in its own namespace."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_quickstart_against_this_server(nacos_server, namespace, client):
    client.get_config("probe", "DEFAULT_GROUP")  # learns the server's config dialect
    if getattr(nacos_server, "real", False) and client.api_dialect("config") == "v1":
        # a real v1 server makes a write readable ~100 ms later (a namespaced read may even answer 409 "being
        # modified"), and the SDK does not wait for its own writes there as it does on v3: the quickstart's
        # immediate read-back is a race on such a server (docs/compatibility.md)
        pytest.skip("read-your-write is not guaranteed by a real v1 server")
    env = dict(os.environ, PYTHONPATH=ROOT, NACOS_SERVER_ADDR=nacos_server.address, NACOS_NAMESPACE=namespace)
    out = subprocess.check_output([sys.executable, os.path.join(ROOT, "examples", "quickstart.py")], env=env,
                                  stderr=subprocess.STDOUT).decode("utf-8")
    assert "started the embedded server" not in out
    assert "publish_config('quickstart.yaml', 'DEFAULT_GROUP', ...) -> True" in out
    assert "get_config('quickstart.yaml', 'DEFAULT_GROUP') -> %r" % u"greeting: hello\n" in out or \
        "-> u'greeting: hello\\n'" in out
    assert "instance 127.0.0.1:8080 healthy=True" in out
    assert out.strip().endswith("done")
