"""Per-request overhead of the requests discovery adapter on a cache hit:
``adapter_overhead.py [REQUESTS]`` (default 5000).

Starts, in this process, a keep-alive HTTP backend on 127.0.0.1 and the embedded Nacos server, registers the
backend as the only instance of a service, then times REQUESTS calls of
``nacos_requests.get("http://<service>/ping")`` (the shared pooled session, list from the subscription cache)
and as many of ``requests.Session().get("http://127.0.0.1:<port>/ping")`` (one keep-alive session: the
baseline), interleaved (the order alternates each round) after a warm-up. Prints ONE JSON line: medians and
p99s of both in microseconds, their difference, and the resolution step alone (``Discovery.start`` +
``next_url``).
"""
import os
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(os.path.dirname(HERE)))  # the repository root, when run standalone
from common import emit, percentile  # noqa: E402
from backend import Handler, Server, start as _start  # noqa: E402

clock = getattr(time, "perf_counter", time.time)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))


def main():
    import logging
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # stdout carries the JSON line only
    import requests

    import nacos
    from nacos.auto.discovery import configure
    from nacos.auto.discovery.ext import requests as nacos_requests
    from nacos.testing import NacosServer

    backend = Server(("127.0.0.1", 0), Handler)
    _start(backend)
    port = backend.server_address[1]
    nacos_server = NacosServer(push_mode="all")
    nacos_server.start()
    service = "bench-%s" % uuid.uuid4().hex[:8]
    registrar = nacos.NacosClient(nacos_server.address, naming_cache_dir=None)
    registrar.add_naming_instance(service, "127.0.0.1", port)
    discovery = configure(load=False, server=nacos_server.address, client_options={"naming_cache_dir": None})

    via_service = "http://%s/ping" % service
    direct_url = "http://127.0.0.1:%d/ping" % port
    direct = requests.Session()

    def adapter():
        t = clock()
        nacos_requests.get(via_service).content
        return clock() - t

    def plain():
        t = clock()
        direct.get(direct_url).content
        return clock() - t

    if discovery.start(via_service, "GET") is None:
        raise SystemExit("adapter_overhead: %s did not resolve to a Nacos service (see the log above)" % service)
    for _ in range(300):  # warm-up: lookup, subscription, pooled connections
        adapter()
        plain()
    lists_before = len([r for r in nacos_server.request_log if r["path"].endswith("/instance/list")])
    a, p = [], []
    for i in range(N):
        if i % 2:
            a.append(adapter())
            p.append(plain())
        else:
            p.append(plain())
            a.append(adapter())
    lists_during = len([r for r in nacos_server.request_log if r["path"].endswith("/instance/list")]) - lists_before

    resolve = []
    for _ in range(N):
        t = clock()
        discovery.start(via_service, "GET").next_url()
        resolve.append(clock() - t)

    us = lambda values, q: round(percentile(values, q) * 1e6, 1)  # noqa: E731
    emit({"worker": "adapter_overhead", "python": sys.version.split()[0], "requests": N,
          "adapter_median_us": us(a, 50), "adapter_p99_us": us(a, 99),
          "direct_median_us": us(p, 50), "direct_p99_us": us(p, 99),
          "overhead_median_us": round(us(a, 50) - us(p, 50), 1),
          "overhead_p99_us": round(us(a, 99) - us(p, 99), 1),
          "resolve_median_us": us(resolve, 50), "resolve_p99_us": us(resolve, 99),
          "nacos_list_calls_during_run": lists_during, "target_us": 50})
    registrar.stop()
    discovery.close()
    nacos_server.stop()
    backend.shutdown()


if __name__ == "__main__":
    main()
