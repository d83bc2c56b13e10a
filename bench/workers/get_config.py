"""get_config calls per second on N threads: ``get_config.py MODE ADDRESS THREADS SECONDS``.

MODE: ``ours`` (this SDK), ``ours-nofiles`` (this SDK with ``failover_base=None, snapshot_base=None``: no
failover lookup, no snapshot write; a diagnostic), ``legacy`` (nacos-sdk-python, run with its own interpreter), ``raw`` (a keep-alive
requests.Session loop on the same URL: the baseline).
"""
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, run_threads  # noqa: E402

mode, address, n_threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
DATA_ID, GROUP = "bench-get", "BENCH"
work = tempfile.mkdtemp(prefix="nacos-bench-")
os.chdir(work)  # both clients write their default snapshot directory here

if mode == "raw":
    import requests
    url = "http://%s/nacos/v1/cs/configs" % address
    sessions = [requests.Session() for _ in range(n_threads)]
    requests.post(url, data={"dataId": DATA_ID, "group": GROUP, "content": "value: 1\n" * 20})
    for _ in range(100):  # a real Nacos makes a write visible a little later
        if requests.get(url, params={"dataId": DATA_ID, "group": GROUP}, timeout=3).status_code == 200:
            break
        time.sleep(0.05)

    def call(i):
        r = sessions[i].get(url, params={"dataId": DATA_ID, "group": GROUP}, timeout=3)
        r.raise_for_status()
        return r.text
else:
    import nacos
    if mode == "ours-nofiles":
        client = nacos.NacosClient(address, namespace="", failover_base=None, snapshot_base=None)
    elif mode == "ours-nometrics":  # the cost of client.metrics(): the same client recording nothing
        client = nacos.NacosClient(address, namespace="", metrics_enabled=False)
    else:
        client = nacos.NacosClient(address, namespace="")
    client.publish_config(DATA_ID, GROUP, "value: 1\n" * 20)
    for _ in range(100):  # a real Nacos makes a write visible a little later
        if client.get_config(DATA_ID, GROUP):
            break
        time.sleep(0.05)

    def call(i):
        content = client.get_config(DATA_ID, GROUP)
        assert content
        return content

for i in range(n_threads):  # warm up connections
    call(i)
counts = [0] * n_threads
stop = threading.Event()


def loop(i):
    c = 0
    while not stop.is_set():
        call(i)
        c += 1
    counts[i] = c


timer = threading.Timer(seconds, stop.set)
started = time.time()
timer.start()
run_threads(n_threads, loop)
elapsed = time.time() - started
emit({"mode": mode, "threads": n_threads, "calls": sum(counts), "seconds": elapsed,
      "calls_per_s": sum(counts) / elapsed})
