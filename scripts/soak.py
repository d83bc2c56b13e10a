#!/usr/bin/env python
"""Soak: 200 watched keys changing, 50 heartbeating instances, subscriptions, for a bounded time.

    python scripts/soak.py [--duration 600] [--server HOST:PORT] [--out soak.json]

Without --server (or NACOS_SERVER_ADDR) it starts the embedded server in its own process. Every 10 s it
records the client process's RSS and thread count; at the end it checks that every watched key's last callback
saw the last published content, that every instance is healthy on the server, and that every subscriber saw
the final instance list. It prints one JSON object (also written to --out) and exits non-zero on a loss.
"""
from __future__ import print_function

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import nacos  # noqa: E402


def rss_kib():
    with open("/proc/self/status") as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_server():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen([sys.executable, "-m", "nacos.testing", "--port", str(port), "--push-mode", "all"],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.DEVNULL
                            if hasattr(subprocess, "DEVNULL") else open(os.devnull, "w"))
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc, "127.0.0.1:%d" % port
        except (OSError, socket.error):
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("embedded server did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=600.0)
    ap.add_argument("--server", default=os.environ.get("NACOS_SERVER_ADDR"))
    ap.add_argument("--keys", type=int, default=200)
    ap.add_argument("--instances", type=int, default=50)
    ap.add_argument("--rate", type=float, default=20.0, help="config publishes per second")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    proc = None
    address = args.server
    if not address:
        proc, address = start_server()
    group = "SOAK-%d" % os.getpid()
    client = nacos.NacosClient(address, namespace="", snapshot_base=None, failover_base=None,
                               naming_cache_dir=None, heartbeat_interval=2)
    publisher = nacos.NacosClient(address, namespace="", snapshot_base=None, failover_base=None)
    try:
        last_seen = {}
        lock = threading.Lock()

        def cb(params):
            with lock:
                last_seen[params["data_id"]] = params["content"]

        keys = ["key-%d" % i for i in range(args.keys)]
        last_published = {}
        for k in keys:
            publisher.publish_config(k, group, "v0")
            last_published[k] = "v0"
            client.add_config_watcher(k, group, cb)
        services = ["soak-svc-%d" % i for i in range(5)]
        for i in range(args.instances):
            client.add_naming_instance(services[i % 5], "10.1.%d.%d" % (i // 250, i % 250), 8000 + i)
        seen_hosts = {}

        def on_service(event):
            with lock:
                seen_hosts[event["name"].split("@@")[-1]] = len(event["hosts"])

        for svc in services:
            client.subscribe(svc, on_service)
        samples = []
        started = time.time()
        next_sample = started
        n_published = 0
        churn = 0
        while time.time() - started < args.duration:
            k = random.choice(keys)
            n_published += 1
            value = "v%d" % n_published
            publisher.publish_config(k, group, value)
            last_published[k] = value
            if n_published % 200 == 0:  # churn one extra instance in and out
                svc = random.choice(services)
                publisher.add_naming_instance(svc, "10.9.9.9", 9999, heartbeat_interval=2)
                publisher.remove_naming_instance(svc, "10.9.9.9", 9999)
                churn += 1
            if time.time() >= next_sample:
                samples.append({"t": round(time.time() - started, 1), "rss_kib": rss_kib(),
                                "threads": threading.active_count()})
                next_sample += 10
            time.sleep(1.0 / args.rate)
        time.sleep(5)  # let the last changes arrive
        with lock:
            lost_keys = [k for k in keys if last_seen.get(k) != last_published[k]]
            subs = dict(seen_hosts)
        healthy = 0
        for svc in services:
            hosts = publisher.list_naming_instance(svc, healthy_only=True)["hosts"]
            healthy += len([h for h in hosts if h["ip"].startswith("10.1.")])
        expected = dict((svc, len([i for i in range(args.instances) if i % 5 == n]))
                        for n, svc in enumerate(services))
        result = {
            "duration_s": args.duration, "keys": args.keys, "instances": args.instances,
            "publishes": n_published, "instance_churns": churn,
            "lost_final_states": len(lost_keys), "healthy_instances": healthy,
            "subscriber_mismatches": len([s for s in services if subs.get(s) != expected[s]]),
            "rss_kib_first": samples[0]["rss_kib"], "rss_kib_last": samples[-1]["rss_kib"],
            "rss_growth_kib": samples[-1]["rss_kib"] - samples[0]["rss_kib"],
            "threads_max": max(s["threads"] for s in samples), "samples": samples,
            "python": sys.version.split()[0], "server": "embedded" if proc else address,
        }
    finally:
        client.stop()
        publisher.stop()
        if proc is not None:
            proc.terminate()
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w") as fp:
            fp.write(text)
    print(text)
    ok = not result["lost_final_states"] and result["healthy_instances"] == args.instances \
        and not result["subscriber_mismatches"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
