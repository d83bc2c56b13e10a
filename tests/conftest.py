"""Shared fixtures.

* ``nacos_server``: the embedded server (``nacos.testing``) for the whole session, or a real Nacos when
  ``NACOS_SERVER_ADDR`` is set (then tests marked ``embedded_only`` are skipped: they need fault injection or
  shortened server timings).
* ``namespace`` / ``group``: fresh per test, so tests never see each other's data (also on a real server).
* ``client``: a NacosClient on that server and namespace, with its local files under the test's tmpdir.
"""
import os
import sys
import uuid

import pytest

REAL_SERVER = os.environ.get("NACOS_SERVER_ADDR", "").strip()
REAL_USERNAME = os.environ.get("NACOS_USERNAME")
REAL_PASSWORD = os.environ.get("NACOS_PASSWORD")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # tests/support helpers

collect_ignore = []
if sys.version_info[0] < 3:
    collect_ignore += ["py3"]


def pytest_configure(config):
    config.addinivalue_line("markers", "embedded_only: needs the embedded server's fault injection or timings")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def pytest_collection_modifyitems(config, items):
    if not REAL_SERVER:
        return
    skip = pytest.mark.skip(reason="needs the embedded server (NACOS_SERVER_ADDR is set)")
    for item in items:
        if "embedded_only" in item.keywords:
            item.add_marker(skip)


class RealServer(object):
    """Stands in for an embedded server when the tests run against a real Nacos."""

    real = True

    def __init__(self, address):
        self.address = address
        self.url = address if "://" in address else "http://" + address


def pytest_generate_tests(metafunc):
    """The contract tests run twice on the embedded server: as a v1 server (Nacos 1.x/2.x, 3.x with the legacy
    API) and as a server without the v1 API (Nacos 3.2+, 3.x with client compatibility off)."""
    if REAL_SERVER or "nacos_server" not in metafunc.fixturenames or "embedded_server" in metafunc.fixturenames:
        return
    if os.sep + "contract" + os.sep in os.path.abspath(metafunc.module.__file__):
        metafunc.parametrize("dialect", ["v1", "v3"], indirect=True, scope="session")


@pytest.fixture(scope="session")
def dialect(request):
    """The API the session's embedded server serves: "v1" (both v1 and v3, as Nacos 3.0/3.1) or "v3" (no v1)."""
    return getattr(request, "param", "v1")


@pytest.fixture(scope="session")
def nacos_server(dialect):
    if REAL_SERVER:
        yield RealServer(REAL_SERVER)
        return
    for server in _serving(v1=dialect == "v1"):
        yield server


def _serving(**options):
    """Start an embedded server with ``options``, yield it, stop it."""
    from nacos.testing import NacosServer
    server = NacosServer(**options)
    server.real = False
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def embedded_server():
    """A private embedded server with test-friendly timings; skipped against a real server."""
    if REAL_SERVER:
        pytest.skip("needs the embedded server")
    for server in _serving(heartbeat_timeout=1.5, delete_timeout=3.0, health_check_interval=0.2,
                           long_poll_min_hold=1.0):
        yield server


def unique(prefix):
    return "%s%s" % (prefix, uuid.uuid4().hex[:12])


@pytest.fixture
def namespace():
    return unique("t-")


@pytest.fixture
def group():
    return unique("G-")


def client_kwargs(tmpdir):
    kwargs = dict(failover_base=str(tmpdir.join("failover")), snapshot_base=str(tmpdir.join("snapshot")),
                  naming_cache_dir=str(tmpdir.join("naming")))
    if REAL_USERNAME and REAL_PASSWORD:
        kwargs.update(username=REAL_USERNAME, password=REAL_PASSWORD)
    return kwargs


@pytest.fixture
def make_client(nacos_server, namespace, tmpdir):
    """``make_client(**kwargs)``: clients on the test's server and namespace, all stopped after the test."""
    import nacos
    made = []

    def factory(server=None, **kwargs):
        opts = client_kwargs(tmpdir)
        opts.update(kwargs)
        opts.setdefault("namespace", namespace)
        c = nacos.NacosClient((server or nacos_server).address, **opts)
        made.append(c)
        return c

    yield factory
    for c in made:
        c.stop()


@pytest.fixture
def client(make_client):
    return make_client()
