"""Client CPU per get_config: ``cpu_per_call.py MODE ADDRESS CALLS``.

After 200 warm-up calls, runs CALLS sequential get_config calls on one thread and reads ``os.times()`` (user +
system CPU of this process, the client alone: the server runs in another process) around them. MODE as in
``getter.py``: ``ours``, ``legacy`` or ``raw``.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cpu_seconds, emit  # noqa: E402
from getter import make_call  # noqa: E402

mode, address, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
call = make_call(mode, address)
for _ in range(200):
    call(0)
wall0, cpu0 = time.time(), cpu_seconds()
for _ in range(calls):
    call(0)
cpu1, wall1 = cpu_seconds(), time.time()
emit({"mode": mode, "calls": calls, "cpu_us_per_call": (cpu1 - cpu0) * 1e6 / calls,
      "wall_us_per_call": (wall1 - wall0) * 1e6 / calls})
