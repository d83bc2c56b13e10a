"""Ephemeral instances kept alive from one process: ``heartbeat.py MODE ADDRESS SERVICE INSTANCES``.

MODE ``ours``: ``add_naming_instance`` with the managed heartbeat (the default: one scheduler, two senders).
MODE ``legacy``: nacos-sdk-python's ``add_naming_instance(..., heartbeat_interval=5)`` (a HeartbeatTask thread
per instance). Instances are ``127.0.0.1:<20000+i>`` of SERVICE. Prints ``READY <json>`` once every instance
is registered, then keeps beating until a line arrives on stdin; the harness samples this process (threads,
CPU from /proc) and the server's healthy share meanwhile. Then prints the JSON result and exits.
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, exit_now, tree_stats  # noqa: E402

mode, address, service, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))

import nacos  # noqa: E402

client = nacos.NacosClient(address, namespace="")
s0, t0 = tree_stats(), time.time()
for i in range(n):
    if mode == "legacy":
        client.add_naming_instance(service, "127.0.0.1", 20000 + i, heartbeat_interval=5)
    else:
        client.add_naming_instance(service, "127.0.0.1", 20000 + i)
s1, t1 = tree_stats(), time.time()
emit({"ready": True, "register_s": t1 - t0, "register_cpu_s": s1["cpu_s"] - s0["cpu_s"], "pid": os.getpid()})
sys.stdin.readline()
s2, t2 = tree_stats(), time.time()
emit({"mode": mode, "instances": n, "register_s": t1 - t0, "window_s": t2 - t1,
      "cpu_pct": 100.0 * (s2["cpu_s"] - s1["cpu_s"]) / (t2 - t1), "os_threads_end": s2["os_threads"]})
exit_now()
