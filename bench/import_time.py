"""Median start-up cost of ``import nacos`` and ``import nacos; nacos.NacosClient(addr)`` in fresh interpreters.

``python bench/import_time.py [--runs 20] [--legacy PYTHON] [--tree LABEL=DIR ...]``

Each snippet runs ``--runs`` times in a new interpreter (cwd ``/tmp``) and the wall time of the whole process is
reported as median and min-max (the clients take turns, run by run): for this work tree (``PYTHONPATH`` = the
repository, this interpreter), for
every ``--tree`` (another checkout's directory holding ``nacos/``) and, with ``--legacy``, for the legacy
client's interpreter (its own installed ``nacos``, no ``PYTHONPATH``). ``python -c pass`` is timed too: the
interpreter's own start-up. The trees are byte-compiled first (``compileall``): with
``PYTHONDONTWRITEBYTECODE`` set, a source tree would otherwise be compiled on every import while a pip-installed
package has its ``.pyc`` files, which is not what users run.
"""
from __future__ import print_function

import argparse
import compileall
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNIPPETS = [("python -c pass", "pass"),
            ("import nacos", "import nacos"),
            ("import nacos; nacos.NacosClient(addr)", "import nacos; nacos.NacosClient('127.0.0.1:8848')")]


def _median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def measure(clients, code, runs):
    """Milliseconds per run of ``python -c code`` (the whole process) for each client; the clients take turns
    within each round, so a change of machine load hits them alike."""
    times = dict((name, []) for name, _, _ in clients)
    for _ in range(runs):
        for name, python, env in clients:
            t0 = time.time()
            subprocess.check_call([python, "-c", code], env=env, cwd="/tmp")
            times[name].append((time.time() - t0) * 1e3)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--legacy", help="the interpreter of a venv holding nacos-sdk-python")
    parser.add_argument("--tree", action="append", default=[], help="LABEL=DIR: another checkout to time")
    args = parser.parse_args(argv)
    clients = []
    for label, tree in [("this tree", ROOT)] + [t.split("=", 1) for t in args.tree]:
        compileall.compile_dir(os.path.join(tree, "nacos"), quiet=1)
        clients.append((label, sys.executable, dict(os.environ, PYTHONPATH=tree)))
    if args.legacy:
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        clients.append(("legacy", args.legacy, env))
    for label, code in SNIPPETS:
        measured = measure(clients, code, args.runs)
        for name, _, _ in clients:
            times = measured[name]
            print("%-40s %-10s median %6.1f ms (%.1f-%.1f), %d runs"
                  % (label, name, _median(times), min(times), max(times), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
