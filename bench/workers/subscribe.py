"""Service change -> subscriber latency:
``subscribe.py MODE ADDRESS SERVICE FORM INTERVAL SAMPLES SEED GAP_MAX MAX_WAIT [USER_AGENT]``.

MODE ``ours`` or ``legacy``. FORM ``service`` (this SDK's ``subscribe(service, fn)``: UDP push plus polling
every cacheMillis) or ``legacy`` (``subscribe(listener, INTERVAL, service_name=...)``: polling every INTERVAL s;
the only form nacos-sdk-python has). A seed instance is registered first and the worker waits two intervals
(the legacy client reports nothing on its first tick). Then SAMPLES times, after a random pause of 0..GAP_MAX s
(seeded), a new ephemeral instance ``127.0.0.1:<30000+i>`` is registered over a plain keep-alive connection and
the time until the listener reports it ADDED is taken (at most MAX_WAIT s each).

USER_AGENT (this SDK only; ``-`` or absent: the default ``Nacos-Python-Client:v<ver>``) replaces the User-Agent
of this client's requests, to measure what a real server does for a User-Agent it pushes to (see
docs/naming.md "Which clients a real server pushes to"); this is a measurement, not a client setting. For this
SDK the worker also reports the instance-list requests per second over the sampling window and the UDP push
packets received (from ``client.metrics()``).
"""
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Raw, emit, exit_now, percentile, tree_stats  # noqa: E402

mode, address, service, form = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
interval, samples, seed = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
gap_max, max_wait = float(sys.argv[8]), float(sys.argv[9])
user_agent = sys.argv[10] if len(sys.argv) > 10 and sys.argv[10] != "-" else None
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))

import nacos  # noqa: E402
from nacos.listener import SubscribeListener  # noqa: E402  (both packages have it)

seen = {}  # port -> time first reported ADDED
events = {}
lock = threading.Lock()


def mark(port):
    t = time.time()
    with lock:
        seen.setdefault(int(port), t)
        ev = events.get(int(port))
    if ev is not None:
        ev.set()


def on_instance(event, instance):  # legacy form
    if event == "ADDED":
        mark(instance.instance["port"])


def on_service(event):  # service form
    for host in event.get("added") or []:
        mark(host["port"])


raw = Raw(address)
raw.register(service, "127.0.0.1", 29999)
client = nacos.NacosClient(address, namespace="")
if user_agent:
    client._transport.user_agent = user_agent  # noqa: SLF001  (before the first request opens a session)


def counter(name, key, value):
    """A counter of this SDK's ``client.metrics()`` (None for the legacy client)."""
    if mode == "legacy":
        return None
    return sum(s["value"] for s in client.metrics().get(name, []) if s["labels"].get(key) == value)

if form == "service":
    client.subscribe(service, on_service)
else:
    client.subscribe(SubscribeListener(on_instance, "bench"), interval, service_name=service)
time.sleep(2 * interval + 0.5)
rng = random.Random(seed)
lists0, pushes0, window0 = counter("nacos_requests_total", "kind", "naming_list"), \
    counter("nacos_naming_push_packets_total", "outcome", "received"), time.time()
lat, missed = [], 0
for i in range(samples):
    time.sleep(rng.uniform(0, gap_max))
    port = 30000 + seed * 1000 + i
    ev = threading.Event()
    with lock:
        events[port] = ev
    t0 = time.time()
    raw.register(service, "127.0.0.1", port)
    if ev.wait(max_wait):
        lat.append(seen[port] - t0)
    else:
        missed += 1
window = time.time() - window0
lists, pushes = counter("nacos_requests_total", "kind", "naming_list"), \
    counter("nacos_naming_push_packets_total", "outcome", "received")
stats = tree_stats()
emit({"user_agent": user_agent, "window_s": window,
      "list_requests_per_s": None if lists is None else (lists - lists0) / window,
      "push_packets": None if pushes is None else pushes - pushes0,"mode": mode, "form": form, "interval": interval, "latencies_ms": [x * 1000.0 for x in lat],
      "missed": missed, "attempted": samples, "os_threads": stats["os_threads"],
      "p50_ms": percentile(lat, 50) and percentile(lat, 50) * 1000.0,
      "p99_ms": percentile(lat, 99) and percentile(lat, 99) * 1000.0})
exit_now()
