"""Fixtures for the discovery adapter tests: one embedded Nacos server per module that pushes to every
subscriber, three real HTTP backends registered under a fresh service name per test, and a Discovery."""
import sys
import uuid

import pytest

collect_ignore = ["py3"] if sys.version_info[0] < 3 else []


@pytest.fixture(scope="module")
def nacos_push_server():
    from nacos.testing import NacosServer
    server = NacosServer(push_mode="all", health_check_interval=0.2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def registrar(nacos_push_server):
    """The client that registers the backends (managed heartbeats keep them healthy)."""
    import nacos
    client = nacos.NacosClient(nacos_push_server.address, naming_cache_dir=None)
    try:
        yield client
    finally:
        client.stop()


class Cluster(object):
    """Backends registered under one service name."""

    def __init__(self, server, registrar, count=3, weights=None, metadata=None):
        from discovery_support import Backend
        self.server = server
        self.registrar = registrar
        self.service = "svc-%s" % uuid.uuid4().hex[:10]
        self.backends = []
        for i in range(count):
            self.add(Backend("b%d" % i), weights[i] if weights else 1.0, metadata[i] if metadata else None)

    def add(self, backend, weight=1.0, metadata=None, **kwargs):
        self.registrar.add_naming_instance(self.service, "127.0.0.1", backend.port, weight=weight,
                                           metadata=metadata, **kwargs)
        if backend not in self.backends:
            self.backends.append(backend)
        return backend

    def remove(self, backend):
        self.registrar.remove_naming_instance(self.service, "127.0.0.1", backend.port)

    def url(self, path="/echo"):
        return "http://%s%s" % (self.service, path)

    def by_id(self, ident):
        return [b for b in self.backends if b.ident == ident][0]

    def stop(self):
        for backend in self.backends:
            self.remove(backend)
            backend.kill()


@pytest.fixture
def make_cluster(nacos_push_server, registrar):
    made = []

    def make(count=3, weights=None, metadata=None):
        cluster = Cluster(nacos_push_server, registrar, count, weights, metadata)
        made.append(cluster)
        return cluster
    yield make
    for cluster in made:
        cluster.stop()


@pytest.fixture
def cluster(make_cluster):
    return make_cluster()


@pytest.fixture
def make_discovery(nacos_push_server):
    from nacos.auto.discovery import Discovery
    from nacos.auto.discovery import settings as S
    made = []

    def make(**options):
        options.setdefault("server", nacos_push_server.address)
        options.setdefault("client_options", {"naming_cache_dir": None})
        discovery = Discovery(S.build(load=False, **options))
        made.append(discovery)
        return discovery
    yield make
    for discovery in made:
        discovery.close()


@pytest.fixture
def discovery(make_discovery):
    return make_discovery(failure_ttl=30.0)


@pytest.fixture
def global_discovery(nacos_push_server):
    """The process-wide discovery configured for the test server (reset afterwards)."""
    from nacos.auto.discovery import configure, reset
    discovery = configure(load=False, server=nacos_push_server.address, client_options={"naming_cache_dir": None})
    try:
        yield discovery
    finally:
        reset()
