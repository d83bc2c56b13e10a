"""Config watchers: setup, idle footprint and publish -> callback latency.

``watch.py MODE ADDRESS KEYS SAMPLES IDLE_SECONDS SEED GAP_MAX MAX_WAIT BUDGET ADD_BUDGET [SETTLE]``

MODE ``ours`` (this SDK) or ``legacy`` (nacos-sdk-python, run with its own interpreter). The harness has
published ``bench-w-00000`` ... (group ``BENCH``, content ``v0``) beforehand. The worker

1. adds one watcher to each of KEYS keys (passing the current content ``v0``, so neither client needs a
   ``get_config`` per key to know it) -- giving up, and reporting how many were added, after ADD_BUDGET s --
   and publishes a warm-up change to key 0; "ready" is when its callback
   arrives (bounded by MAX_WAIT * 6);
2. waits SETTLE s (default 6: this SDK's idle callback workers exit after 5 s), then measures threads, RSS and CPU of the
   process and its children (the legacy Manager process) over IDLE_SECONDS without changes;
3. publishes SAMPLES changes, each to a random watched key (seeded), after a random pause of 0..GAP_MAX s, and
   times publish -> callback with that content, waiting at most MAX_WAIT s for each; stops after BUDGET s.

Changes are published over one stdlib keep-alive connection, the same for both clients.
"""
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Raw, emit, exit_now, percentile, tree_stats  # noqa: E402

mode, address = sys.argv[1], sys.argv[2]
n_keys, samples = int(sys.argv[3]), int(sys.argv[4])
idle_seconds, seed = float(sys.argv[5]), int(sys.argv[6])
gap_max, max_wait, budget = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
add_budget = float(sys.argv[10])
settle = float(sys.argv[11]) if len(sys.argv) > 11 else 6.0
GROUP = "BENCH"
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))

import nacos  # noqa: E402

keys = ["bench-w-%05d" % i for i in range(n_keys)]
waiting = {}  # content -> [Event, callback time]
lock = threading.Lock()


def on_change(params):
    t = time.time()
    with lock:
        slot = waiting.get(params.get("content"))
    if slot is not None and slot[1] is None:
        slot[1] = t
        slot[0].set()


def expect(content):
    slot = [threading.Event(), None]
    with lock:
        waiting[content] = slot
    return slot


base = tree_stats()
client = nacos.NacosClient(address, namespace="")
raw = Raw(address)
t_setup = time.time()
n_added = [0]


def add_all():
    for k in keys:
        client.add_config_watcher(k, GROUP, on_change, content="v0")
        n_added[0] += 1


adder = threading.Thread(target=add_all)
adder.daemon = True
adder.start()
adder.join(add_budget)  # one add can take long (the legacy client's puller lookup), so the whole loop is bounded
n_added = n_added[0]
added = time.time() - t_setup
result = {"mode": mode, "keys": n_keys, "keys_added": n_added, "add_s": added}
touched = set([keys[0]])
if n_added < n_keys:
    result.update({"ready": False, "why": "added only %d of %d watchers in %.0f s" % (n_added, n_keys, added)})
    emit(result)
    exit_now()
slot = expect("warmup-%d" % seed)
raw.publish(keys[0], GROUP, "warmup-%d" % seed)
ready = slot[0].wait(max_wait * 6)
setup_s = time.time() - t_setup
result.update({"ready": bool(ready), "setup_s": setup_s})
if not ready:
    result["why"] = "the warm-up change was not called back within %.0f s" % (max_wait * 6)

if ready:
    time.sleep(settle)
    s0, w0 = tree_stats(), time.time()
    time.sleep(idle_seconds)
    s1, w1 = tree_stats(), time.time()
    result.update({"idle_window_s": w1 - w0, "os_threads": s1["os_threads"], "processes": s1["processes"],
                   "rss_mib": s1["rss_kib"] / 1024.0, "rss_growth_mib": (s1["rss_kib"] - base["rss_kib"]) / 1024.0,
                   "idle_cpu_pct": 100.0 * (s1["cpu_s"] - s0["cpu_s"]) / (w1 - w0),
                   "py_threads": threading.active_count()})

    rng = random.Random(seed)
    lat, missed = [], 0
    started = time.time()
    for i in range(samples):
        if time.time() - started > budget:
            break
        time.sleep(rng.uniform(0, gap_max))
        key = keys[rng.randrange(n_keys)]
        touched.add(key)
        content = "sample-%d-%d" % (seed, i)
        slot = expect(content)
        t0 = time.time()
        raw.publish(key, GROUP, content)
        if slot[0].wait(max_wait):
            lat.append(slot[1] - t0)
        else:
            missed += 1
    result.update({"latencies_ms": [x * 1000.0 for x in lat], "missed": missed, "attempted": len(lat) + missed,
                   "p50_ms": percentile(lat, 50) and percentile(lat, 50) * 1000.0,
                   "p99_ms": percentile(lat, 99) and percentile(lat, 99) * 1000.0})
for key in touched:  # leave the server as the next run expects it
    raw.publish(key, GROUP, "v0")
emit(result)
exit_now()  # the legacy client's non-daemon timers and Manager would otherwise delay the exit
