"""Processes for the benchmarks: the server under test, the legacy client's virtualenv, worker runs.

Every figure comes from a worker subprocess that prints one JSON object; the harness repeats runs and keeps
the median with its spread (min, max). Nothing here is reported that was not measured.
"""
from __future__ import print_function

import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKERS = os.path.join(HERE, "workers")
LEGACY_VERSION = "2.0.11"
LEGACY_VENV = os.path.join(ROOT, ".cache", "bench-legacy-%s" % LEGACY_VERSION)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class EmbeddedServerProcess(object):
    """``python -m nacos.testing`` in its own process, so server and client do not share a GIL."""

    def __init__(self, **options):
        self.port = free_port()
        self.address = "127.0.0.1:%d" % self.port
        args = [sys.executable, "-m", "nacos.testing", "--port", str(self.port)]
        for key, value in sorted(options.items()):
            args += ["--" + key.replace("_", "-")] + ([] if value is True else [str(value)])
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except (OSError, socket.error):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("embedded server did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except Exception:  # noqa: BLE001
                self.proc.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class RealServer(object):
    def __init__(self, address):
        self.address = address

    def stop(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def legacy_python():
    """The interpreter of a virtualenv holding nacos-sdk-python 2.0.11 (made on first use).

    Its ``nacos`` package imports only the standard library, so it is installed with ``--no-deps`` (its
    declared dependencies are for the separate v2 gRPC package)."""
    py = os.path.join(LEGACY_VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", LEGACY_VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps",
                               "nacos-sdk-python==%s" % LEGACY_VERSION])
    return py


def run_worker(name, args, python=None, timeout=600, env=None):
    """Run ``bench/workers/<name>.py`` and return its JSON answer."""
    cmd = [python or sys.executable, os.path.join(WORKERS, name + ".py")] + [str(a) for a in args]
    full_env = dict(os.environ)
    if python is None:
        full_env["PYTHONPATH"] = ROOT
    else:
        full_env.pop("PYTHONPATH", None)
    full_env.update(env or {})
    out = subprocess.check_output(cmd, env=full_env, cwd="/tmp", timeout=timeout)
    return json.loads(out.decode("utf-8").strip().splitlines()[-1])


def repeat(fn, times):
    """Run ``fn`` ``times`` times; returns {"median", "min", "max", "runs"} of its numeric results."""
    runs = [fn() for _ in range(times)]
    ordered = sorted(runs)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2.0
    return {"median": median, "min": ordered[0], "max": ordered[-1], "runs": runs}


def loadavg():
    """The 1, 5 and 15 minute load averages (None where /proc is not there)."""
    try:
        with open("/proc/loadavg") as fp:
            return [float(x) for x in fp.read().split()[:3]]
    except (IOError, OSError):
        return None


def machine():
    info = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as fp:
            for line in fp:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fp:
            info["memory_gib"] = round(int(fp.readline().split()[1]) / 1048576.0, 1)
    except (IOError, OSError):
        pass
    return info
