"""``import nacos`` time and the first call: ``startup.py MODE ADDRESS``.

Times, in a fresh interpreter, ``import nacos``; then ``NacosClient(...)``; then the first ``get_config``
(connection set-up included) and the second one. The harness has published ``bench-get``/``BENCH``.
"""
import os
import sys
import tempfile
import time

clock = getattr(time, "perf_counter", time.time)
t0 = clock()
import nacos  # noqa: E402
t1 = clock()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, exit_now  # noqa: E402

mode, address = sys.argv[1], sys.argv[2]
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))
t2 = clock()
client = nacos.NacosClient(address, namespace="")
t3 = clock()
assert client.get_config("bench-get", "BENCH")
t4 = clock()
client.get_config("bench-get", "BENCH")
t5 = clock()
emit({"mode": mode, "import_ms": (t1 - t0) * 1e3, "construct_ms": (t3 - t2) * 1e3,
      "first_call_ms": (t4 - t3) * 1e3, "second_call_ms": (t5 - t4) * 1e3,
      "modules": len([m for m in sys.modules if m == "nacos" or m.startswith("nacos.")])})
exit_now()
