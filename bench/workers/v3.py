"""This SDK against a server WITHOUT the v1 API (Nacos 3.2+, or 3.x with client compatibility off):

* ``v3.py get ADDRESS SECONDS MODE``: get_config calls/s on one thread; MODE ``ours`` (this SDK, which finds out
  the server speaks v3) or ``raw`` (a keep-alive requests.Session loop on ``GET /v3/client/cs/config``).
* ``v3.py watch ADDRESS KEYS SAMPLES IDLE SEED``: KEYS configs watched by one client (md5 polling); SAMPLES
  times a random watched key is published over a plain connection and the time until its callback is taken;
  also the config requests/s the client sends while idle for IDLE s (what watching costs the server).
* ``v3.py subscribe ADDRESS INTERVAL SAMPLES SEED``: a subscription polled every INTERVAL s
  (``naming_poll_interval``); SAMPLES instances registered over a plain connection, the time until the listener
  reports each, and the list requests/s the subscription costs.

Credentials: NACOS_USERNAME/NACOS_PASSWORD (for a server with auth on).
"""
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import emit, exit_now, percentile, tree_stats  # noqa: E402

import requests  # noqa: E402

os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))
GROUP = "BENCHV3"
USER, PASSWORD = os.environ.get("NACOS_USERNAME"), os.environ.get("NACOS_PASSWORD")


class RawV3(object):
    """Plain keep-alive calls of the v3 API (the writer side of the measurements, and the get baseline)."""

    def __init__(self, address):
        self.base = "http://%s/nacos" % address
        self.s = requests.Session()
        self.token = None
        if USER and PASSWORD:
            r = self.s.post(self.base + "/v3/auth/user/login", data={"username": USER, "password": PASSWORD})
            r.raise_for_status()
            self.token = r.json()["accessToken"]

    def _p(self, params):
        if self.token:
            params = dict(params, accessToken=self.token)
        return params

    def publish(self, data_id, content):
        r = self.s.post(self.base + "/v3/admin/cs/config", params=self._p({}),
                        data={"dataId": data_id, "groupName": GROUP, "content": content}, timeout=10)
        r.raise_for_status()
        assert r.json()["code"] == 0, r.text

    def get(self, data_id):
        r = self.s.get(self.base + "/v3/client/cs/config", params=self._p({"dataId": data_id, "groupName": GROUP}),
                       timeout=3)
        r.raise_for_status()
        return r.json()["data"]["content"]

    def register(self, service, port):
        r = self.s.post(self.base + "/v3/client/ns/instance", params=self._p({}),
                        data={"serviceName": service, "ip": "127.0.0.1", "port": str(port)}, timeout=10)
        r.raise_for_status()


def client(**options):
    import nacos
    if USER and PASSWORD:
        options.update(username=USER, password=PASSWORD)
    return nacos.NacosClient(address, namespace="", naming_cache_dir=None, **options)


def requests_of(c, kinds):
    return sum(s["value"] for s in c.metrics().get("nacos_requests_total", []) if s["labels"]["kind"] in kinds)


def get(seconds, mode):
    raw = RawV3(address)
    raw.publish("bench-get", "value: 1\n" * 20)
    if mode == "raw":
        call = lambda: raw.get("bench-get")  # noqa: E731
    else:
        c = client()
        call = lambda: c.get_config("bench-get", GROUP)  # noqa: E731
    deadline = time.time() + 10
    while call() is None and time.time() < deadline:
        time.sleep(0.05)
    n, started = 0, time.time()
    while time.time() - started < seconds:
        assert call()
        n += 1
    elapsed = time.time() - started
    emit({"mode": mode, "calls_per_s": n / elapsed, "dialect": None if mode == "raw" else c.api_dialect()})


def watch(keys, samples, idle, seed):
    raw = RawV3(address)
    names = ["bench-v3-%05d" % i for i in range(keys)]
    for name in names:
        raw.publish(name, "v0")
    c = client()
    got = {}
    cond = threading.Condition()

    def callback(params):
        with cond:
            got[params["data_id"]] = (params["content"], time.time())
            cond.notify_all()

    t0 = time.time()
    for name in names:
        c.add_config_watcher(name, GROUP, callback)
    with cond:
        cond.wait_for(lambda: len(got) == keys, 600)
    setup = time.time() - t0
    before, t_idle = requests_of(c, ("config",)), time.time()
    time.sleep(idle)
    idle_rps = (requests_of(c, ("config",)) - before) / (time.time() - t_idle)
    rng = random.Random(seed)
    lat, missed = [], 0
    for i in range(samples):
        name = rng.choice(names)
        content = "v%d-%d" % (seed, i)
        t0 = time.time()
        raw.publish(name, content)
        with cond:
            ok = cond.wait_for(lambda: got.get(name, ("",))[0] == content, 30)
        if ok:
            lat.append(got[name][1] - t0)
        else:
            missed += 1
        time.sleep(rng.uniform(0, 0.5))
    stats = tree_stats()
    emit({"keys": keys, "setup_s": setup, "idle_requests_per_s": idle_rps, "missed": missed, "attempted": samples,
          "latencies_ms": [x * 1000.0 for x in lat], "p50_ms": _ms(percentile(lat, 50)),
          "p99_ms": _ms(percentile(lat, 99)), "os_threads": stats["os_threads"], "dialect": c.api_dialect()})
    exit_now()


def subscribe(interval, samples, seed):
    raw = RawV3(address)
    service = "bench-v3-sub-%d" % seed
    raw.register(service, 29999)
    c = client(naming_poll_interval=interval)
    seen, cond = {}, threading.Condition()

    def on_service(event):
        with cond:
            for host in event.get("added") or []:
                seen.setdefault(int(host["port"]), time.time())
            cond.notify_all()

    c.subscribe(service, on_service)
    time.sleep(2 * interval + 0.5)
    before, t_count = requests_of(c, ("naming_list",)), time.time()
    rng = random.Random(seed)
    lat, missed = [], 0
    for i in range(samples):
        time.sleep(rng.uniform(0, interval))
        port = 30000 + i
        t0 = time.time()
        raw.register(service, port)
        with cond:
            ok = cond.wait_for(lambda: port in seen, 10 * interval + 5)
        if ok:
            lat.append(seen[port] - t0)
        else:
            missed += 1
    rps = (requests_of(c, ("naming_list",)) - before) / (time.time() - t_count)
    emit({"interval": interval, "latencies_ms": [x * 1000.0 for x in lat], "missed": missed, "attempted": samples,
          "p50_ms": _ms(percentile(lat, 50)), "p99_ms": _ms(percentile(lat, 99)),
          "list_requests_per_s": rps, "dialect": c.api_dialect("naming")})
    exit_now()


def _ms(seconds):
    return None if seconds is None else seconds * 1000.0


if __name__ == "__main__":
    what, address = sys.argv[1], sys.argv[2]
    if what == "get":
        get(float(sys.argv[3]), sys.argv[4])
    elif what == "watch":
        watch(int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
    elif what == "subscribe":
        subscribe(float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(__doc__)
