"""get_config calls per second on N threads: ``get_config.py MODE ADDRESS THREADS SECONDS``.

MODE: ``ours`` (this SDK), ``ours-nofiles`` (this SDK with ``failover_base=None, snapshot_base=None``: no
failover lookup, no snapshot write; a diagnostic), ``legacy`` (nacos-sdk-python, run with its own interpreter), ``raw`` (a keep-alive
requests.Session loop on the same URL: the baseline).
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, run_threads  # noqa: E402
from getter import make_call  # noqa: E402

mode, address, n_threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
call = make_call(mode, address, n_threads)

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
