"""Shared by the workers (runs under this SDK or under the legacy client: standard library only)."""
import json
import os
import sys
import threading
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def process_stats():
    """Threads and RSS (KiB) of this process, from /proc."""
    stats = {"threads": threading.active_count()}
    try:
        with open("/proc/self/status") as fp:
            for line in fp:
                if line.startswith("VmRSS:"):
                    stats["rss_kib"] = int(line.split()[1])
                elif line.startswith("Threads:"):
                    stats["os_threads"] = int(line.split()[1])
    except (IOError, OSError):
        pass
    return stats


def cpu_seconds():
    t = os.times()
    return t[0] + t[1]


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_threads(n, target):
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def now():
    return time.time()


def _descendants(pid):
    """``pid`` and every process below it (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as fp:
                    todo.extend(int(c) for c in fp.read().split())
        except (IOError, OSError):
            pass
    return out


def tree_stats(pid=None):
    """OS threads, RSS (KiB) and CPU seconds (user+sys) of a process and its children (e.g. the legacy
    client's multiprocessing Manager), read from /proc."""
    pid = pid or os.getpid()
    tick = float(os.sysconf("SC_CLK_TCK"))
    threads = rss = 0
    cpu = 0.0
    procs = _descendants(pid)
    for p in procs:
        try:
            with open("/proc/%d/status" % p) as fp:
                for line in fp:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads += int(line.split()[1])
            with open("/proc/%d/stat" % p) as fp:
                fields = fp.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
        except (IOError, OSError, IndexError, ValueError):
            pass
    return {"os_threads": threads, "processes": len(procs), "rss_kib": rss, "cpu_s": cpu}


class Raw(object):
    """A keep-alive stdlib HTTP connection used by the workers to make changes (the same for both clients)."""

    def __init__(self, address):
        try:
            import http.client as httplib
            from urllib.parse import urlencode
        except ImportError:  # Python 2
            import httplib
            from urllib import urlencode
        self._httplib, self._urlencode = httplib, urlencode
        self.host, self.port = address.rsplit(":", 1)
        self.conn = None

    def call(self, method, path, form=None):
        body = self._urlencode(form) if form else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = self._httplib.HTTPConnection(self.host, int(self.port), timeout=10)
            try:
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.status >= 300:
                    raise RuntimeError("%s %s: %s %s" % (method, path, resp.status, data[:200]))
                return data
            except (IOError, OSError, self._httplib.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def publish(self, data_id, group, content):
        return self.call("POST", "/nacos/v1/cs/configs", {"dataId": data_id, "group": group, "content": content})

    def register(self, service, ip, port, ephemeral=True):
        return self.call("POST", "/nacos/v1/ns/instance",
                         {"serviceName": service, "ip": ip, "port": port,
                          "ephemeral": "true" if ephemeral else "false"})


def exit_now(code=0):
    """End the worker at once, with the child processes it started (the legacy client's multiprocessing
    Manager would otherwise outlive it and keep the harness's pipe open)."""
    import signal
    sys.stdout.flush()
    for p in _descendants(os.getpid())[1:]:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    os._exit(code)
