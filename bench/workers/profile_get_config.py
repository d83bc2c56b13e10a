"""Where one ``get_config`` call of this SDK spends its time: ``profile_get_config.py ADDRESS CALLS``.

Times CALLS calls without a profiler (µs per call), then profiles CALLS more with cProfile and reports the
profiled time per call split by where the code lives (own time of each function, so the parts add up), the
cumulative time of selected functions, and the top functions by own time. Run with this SDK only.
"""
import cProfile
import os
import pstats
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, exit_now  # noqa: E402

address, calls = sys.argv[1], int(sys.argv[2])
os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))
import nacos  # noqa: E402

client = nacos.NacosClient(address, namespace="")
client.publish_config("bench-get", "BENCH", "value: 1\n" * 20)
for _ in range(200):
    client.get_config("bench-get", "BENCH")
t = time.perf_counter()
for _ in range(calls):
    client.get_config("bench-get", "BENCH")
plain_us = (time.perf_counter() - t) / calls * 1e6

prof = cProfile.Profile()
prof.enable()
for _ in range(calls):
    client.get_config("bench-get", "BENCH")
prof.disable()
stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(nacos.__file__)))


def area(filename, name):
    if filename.startswith(os.path.join(ROOT, "nacos")):
        return "nacos/" + os.path.relpath(filename, os.path.join(ROOT, "nacos"))
    for part in ("requests", "urllib3", "idna", "charset_normalizer", "certifi"):
        if "site-packages/%s/" % part in filename:
            return part
    if "socket" in name and filename == "~":
        return "socket I/O"
    base = os.path.basename(filename)
    if filename == "~":
        return "builtins"
    return "stdlib " + base


areas = {}
total = 0.0
for (filename, line, name), (cc, nc, tt, ct, callers) in stats.items():
    key = area(filename, name)
    areas[key] = areas.get(key, 0.0) + tt
    total += tt

WATCH = [("nacos/config/calls.py", "get_config"), ("nacos/transport.py", "request"),
         ("nacos/files.py", "read_file"), ("nacos/files.py", "path_for"), ("nacos/config/local.py", "save"),
         ("nacos/config/local.py", "read_text"), ("requests/sessions.py", "request"), ("requests/sessions.py", "merge_environment_settings"),
         ("requests/sessions.py", "prepare_request"), ("requests/adapters.py", "send"),
         ("urllib3/connectionpool.py", "urlopen"), ("logging/__init__.py", "debug"),
         ("logging/__init__.py", "isEnabledFor")]
cumulative = {}
for (filename, line, name), (cc, nc, tt, ct, callers) in stats.items():
    for suffix, fn in WATCH:
        if filename.endswith(suffix) and name == fn:
            label = "%s:%s" % (suffix, fn)
            cumulative[label] = cumulative.get(label, 0.0) + ct
top = sorted(stats.items(), key=lambda kv: -kv[1][2])[:15]
per = lambda s: round(s / calls * 1e6, 1)  # noqa: E731
emit({"calls": calls, "plain_us_per_call": round(plain_us, 1), "profiled_us_per_call": per(total),
      "own_time_us_by_area": dict(sorted(((k, per(v)) for k, v in areas.items()), key=lambda kv: -kv[1])[:25]),
      "cumulative_us": dict((k, per(v)) for k, v in sorted(cumulative.items(), key=lambda kv: -kv[1])),
      "top_own_time_us": [["%s:%d(%s)" % (os.path.relpath(f, ROOT) if f.startswith(ROOT) else
                                          os.path.basename(f), ln, fn), v[1], per(v[2])]
                          for (f, ln, fn), v in top]})
exit_now()
