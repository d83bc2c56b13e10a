"""Publish -> LiveSettings change latency (docs/settings.md).

    python -m bench.settings_latency [ADDR|embedded|embedded-v3] [N]

Publishes a YAML config N times (default 20), each time waiting for the ``on_change`` callback of a
``LiveSettings`` watching it, and prints the median and the maximum in seconds. ``embedded`` (the default)
starts the embedded server (``embedded-v3``: without the v1 API, so md5 polling).
"""
from __future__ import print_function

import shutil
import sys
import tempfile
import threading
import time
import uuid

import nacos
from nacos.settings import LiveSettings


def measure(address, count):
    tmp = tempfile.mkdtemp(prefix="nacos-settings-bench-")
    client = nacos.NacosClient(address, snapshot_base=tmp + "/snapshot", failover_base=tmp + "/failover")
    group = "BENCH-" + uuid.uuid4().hex[:8]
    try:
        client.publish_config("lat.yaml", group, "v: 0\n")
        while client.get_config("lat.yaml", group) != "v: 0\n":  # real servers apply writes asynchronously
            time.sleep(0.05)
        live = LiveSettings(client, [("lat.yaml", group)])
        changed = threading.Event()
        live.on_change(lambda change: changed.set())
        times = []
        for i in range(1, count + 1):
            changed.clear()
            started = time.time()
            client.publish_config("lat.yaml", group, "v: %d\n" % i)
            if not changed.wait(30):
                raise SystemExit("no change within 30 s")
            times.append(time.time() - started)
            time.sleep(0.2)
        live.close()
        client.remove_config("lat.yaml", group)
    finally:
        client.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    times.sort()
    return times[len(times) // 2], times[-1]


def main(argv):
    target = argv[0] if argv else "embedded"
    count = int(argv[1]) if len(argv) > 1 else 20
    server = None
    if target.startswith("embedded"):
        from nacos.testing import NacosServer
        server = NacosServer(v1=target != "embedded-v3")
        server.start()
        address = server.address
    else:
        address = target
    try:
        median, worst = measure(address, count)
    finally:
        if server is not None:
            server.stop()
    print("%s: %d publishes, median %.3f s, max %.3f s" % (target, count, median, worst))


if __name__ == "__main__":
    main(sys.argv[1:])
