"""Client CPU per call: ``cpu_per_call.py MODE ADDRESS CALLS [OP]``.

After 200 warm-up calls, runs CALLS sequential calls on one thread and reads ``os.times()`` (user + system CPU
of this process, the client alone: the server, and the adapter's backend, run in other processes) around them.
OP (``ops.py``): ``get`` (default), ``publish``, ``beat`` or ``adapter``. MODE: ``ours``, ``legacy`` or ``raw``.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cpu_seconds, emit, exit_now  # noqa: E402
from ops import make_op  # noqa: E402

mode, address, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
op = sys.argv[4] if len(sys.argv) > 4 else "get"
call, close = make_op(op, mode, address)
for _ in range(200):
    call(0)
wall0, cpu0 = time.time(), cpu_seconds()
for _ in range(calls):
    call(0)
cpu1, wall1 = cpu_seconds(), time.time()
close()
emit({"mode": mode, "op": op, "calls": calls, "cpu_us_per_call": (cpu1 - cpu0) * 1e6 / calls,
      "wall_us_per_call": (wall1 - wall0) * 1e6 / calls})
exit_now()
