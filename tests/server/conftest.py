"""Fixtures for the embedded server's own tests (they talk to it only over HTTP/UDP).

``make_server(**kw)`` builds a started ``NacosServer`` with shortened timings and
stops it after the test; ``wait_for`` polls a predicate; ``srv`` is one with the defaults below; ``base`` is its
``http://host:port/nacos`` prefix; ``http`` a keep-alive ``requests.Session``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

import pytest
import requests

from nacos.testing import NacosServer

FAST = dict(heartbeat_timeout=0.6, delete_timeout=1.2, health_check_interval=0.1,
            long_poll_min_hold=0.4, push_ack_timeout=0.3)


@pytest.fixture
def make_server():
    started = []

    def factory(**kw):
        options = dict(FAST)
        options.update(kw)
        server = NacosServer(**options)
        server.start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def srv(make_server):
    return make_server()


@pytest.fixture
def base(srv):
    return srv.url + "/nacos"


@pytest.fixture(params=[True, False], ids=["v1-on", "v1-off"])
def vbase(request, make_server):
    """The ``/nacos`` prefix of a server serving v1 and of one without it: the v3 routes behave the same in both."""
    return make_server(v1=request.param).url + "/nacos"


@pytest.fixture
def http():
    session = requests.Session()
    yield session
    session.close()


def _wait_for(predicate, timeout=3.0, interval=0.02):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("condition not met within %.1fs" % timeout)
        time.sleep(interval)


@pytest.fixture
def wait_for():
    """``wait_for(predicate, timeout=3.0)``: poll until truthy, else fail."""
    return _wait_for
