"""The seven scenarios. Each takes (ctx, server) and returns a dict with ``rows`` (figures for the table) and
``data`` (what the plots need). Every figure is the median of ``reps`` runs with its min and max.
"""
from __future__ import print_function

import compileall
import json
import os
import random
import subprocess
import sys
import threading
import time

import requests

from . import harness as H

sys.path.insert(0, H.WORKERS)
from common import tree_stats  # noqa: E402

MODES = ("ours", "legacy")
NAMES = {"ours": "this SDK", "legacy": "legacy"}


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def stat(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return H.repeat(iter(values).__next__, len(values))


def row(scenario, metric, unit, ours=None, legacy=None, baseline=None, target=None, met=None, note=None,
        better="higher"):
    return {"scenario": scenario, "metric": metric, "unit": unit, "ours": ours, "legacy": legacy,
            "baseline": baseline, "target": target, "met": met, "note": note, "better": better}


def py(mode, ctx):
    return ctx["legacy_python"] if mode == "legacy" else None  # None: this interpreter, PYTHONPATH=the work tree


def populate(server, n, prefix="bench-w-%05d"):
    s = requests.Session()
    url = "http://%s/nacos/v1/cs/configs" % server.address
    for i in range(n):
        s.post(url, data={"dataId": prefix % i, "group": "BENCH", "content": "v0"}, timeout=10).raise_for_status()
    s.post(url, data={"dataId": "bench-get", "group": "BENCH", "content": "value: 1\n" * 20},
           timeout=10).raise_for_status()


# 1 ------------------------------------------------------------------------------------------------------
def s1_get_config(ctx, server):
    cfg = ctx["cfg"]
    rows, data = [], {}
    for threads in (1, 8):
        modes = ["ours", "ours-nometrics", "legacy", "raw"] + (["ours-nofiles"] if cfg.get("s1_nofiles") else [])
        runs = dict((m, []) for m in modes)
        for rep in range(cfg["s1_reps"]):
            k = rep % len(modes)
            order = modes[k:] + modes[:k]  # rotate so drifting load hits every mode alike
            for mode in order:
                r = H.run_worker("get_config", [mode, server.address, threads, cfg["s1_seconds"]],
                                 python=py(mode, ctx), timeout=120)
                runs[mode].append(r["calls_per_s"])
        o, l, b = stat(runs["ours"]), stat(runs["legacy"]), stat(runs["raw"])
        data[threads] = runs
        met = o["median"] >= 3 * l["median"] and o["median"] >= 0.9 * b["median"]
        rows.append(row(1, "get_config calls/s, %d thread%s" % (threads, "s" if threads > 1 else ""), "calls/s",
                        o, l, b, "≥ 3× legacy and ≥ 90% of raw", met))
        nm = stat(runs["ours-nometrics"])
        paired = stat([100.0 * (off - on) / off for on, off in zip(runs["ours"], runs["ours-nometrics"]) if off])
        rows.append(row(1, "metrics overhead on get_config, %d thread%s (recording off: %.0f calls/s)" % (
            threads, "s" if threads > 1 else "", nm["median"]), "%", paired,
            target="< 2%", met=paired["median"] < 2.0, better="lower",
            note="per repetition: (calls/s with metrics_enabled=False - with it on) / off; negative = noise"))
        if runs.get("ours-nofiles"):
            nf = stat(runs["ours-nofiles"])
            rows.append(row(1, "diagnostic: this SDK with failover/snapshot files off, %d thread%s" % (
                threads, "s" if threads > 1 else ""), "calls/s", nf, l, b))
        log("s1 %d threads: ours %.0f legacy %.0f raw %.0f" % (threads, o["median"], l["median"], b["median"]))
    rows.extend(_cpu_per_call_rows(ctx, server))
    prof = None
    if cfg.get("profile") and server.kind == "embedded":
        prof = H.run_worker("profile_get_config", [server.address, cfg["profile_calls"]], timeout=300)
    return {"rows": rows, "data": data, "profile": prof}


CPU_OPS = (("get", "get_config"), ("publish", "publish_config"), ("beat", "heartbeat (send_heartbeat, full body)"),
           ("adapter", "requests adapter request (nacos_requests.get vs a direct call)"))


def _cpu_per_call_rows(ctx, server):
    """Client process CPU (user + system, ``os.times()``) per sequential call of each operation (``CPU_OPS``),
    the clients taking turns; the server's CPU is not counted (it runs in its own process), nor the adapter
    backend's. The legacy client has no adapter."""
    cfg = ctx["cfg"]
    rows = []
    for op, label in CPU_OPS:
        modes = ["ours", "raw"] + ([] if op == "adapter" else ["legacy"])
        runs = dict((m, []) for m in modes)
        for rep in range(cfg["s1_reps"]):
            k = rep % len(modes)
            for mode in modes[k:] + modes[:k]:
                r = H.run_worker("cpu_per_call", [mode, server.address, cfg["s1_cpu_calls"], op],
                                 python=py(mode, ctx), timeout=300)
                runs[mode].append(r["cpu_us_per_call"])
        o, b = stat(runs["ours"]), stat(runs["raw"])
        l = stat(runs["legacy"]) if "legacy" in runs else None
        log("s1 CPU per %s: ours %.0f µs legacy %s µs raw %.0f µs, load %s" % (
            op, o["median"], "-" if l is None else "%.0f" % l["median"], b["median"], H.loadavg()))
        rows.append(row(1, "client CPU per %s (process user+sys, %d sequential calls)" % (label, cfg["s1_cpu_calls"]),
                        "µs", o, l, b, "≤ 115% of raw", o["median"] <= 1.15 * b["median"], better="lower",
                        note="the legacy client has no adapter" if op == "adapter" else None))
    return rows


# 2 and 3 --------------------------------------------------------------------------------------------------
def s23_watchers(ctx, server, want2=True, want3=True):
    cfg = ctx["cfg"]
    scales = cfg["s2_keys"]
    populate(server, max(scales))
    rows, lat_data, scale_data, notes = [], {}, {}, []
    per = {}
    for n in scales:
        for mode in MODES:
            if mode == "legacy" and n > cfg["s2_legacy_max_keys"]:
                continue
            reps = cfg["s2_reps"] if mode == "ours" else cfg.get("s2_legacy_reps_%d" % n, cfg["s2_legacy_reps"])
            res = []
            for rep in range(reps):
                samples = cfg["s2_samples"] if want2 else 0
                max_wait = cfg["s2_max_wait"]
                budget = cfg["s2_budget"] if mode == "ours" else cfg["s2_legacy_budget"]
                r = H.run_worker("watch", [mode, server.address, n, samples, cfg["s3_idle"], 100 * rep + 1,
                                           cfg["s2_gap"], max_wait, budget, cfg["s2_add_budget"], cfg["s3_settle"]],
                                 python=py(mode, ctx), timeout=900)
                res.append(r)
                log("s2/3 %s %d keys: ready=%s setup %.1fs p50 %s p99 %s missed %s threads %s cpu %s%%" % (
                    mode, n, r.get("ready"), r.get("setup_s", 0), _f(r.get("p50_ms")), _f(r.get("p99_ms")),
                    r.get("missed"), r.get("os_threads"), _f(r.get("idle_cpu_pct"))))
            per[(mode, n)] = res
            lat_data["%s/%d" % (mode, n)] = sum((r.get("latencies_ms") or [] for r in res), [])
            scale_data["%s/%d" % (mode, n)] = dict(
                (k, stat([r.get(k) for r in res if r.get("ready")]))
                for k in ("os_threads", "rss_mib", "rss_growth_mib", "idle_cpu_pct", "setup_s", "processes"))
            not_ready = [r for r in res if not r.get("ready")]
            if not_ready:
                notes.append("%s with %s keys: %d of %d runs not measured: %s"
                             % (NAMES[mode], "{:,}".format(n), len(not_ready), len(res),
                                "; ".join(sorted(set(r.get("why", "?") for r in not_ready)))))

    def get(mode, n, key):
        return stat([r.get(key) for r in per.get((mode, n), []) if r.get("ready")])

    def miss(mode, n):
        rs = per.get((mode, n), [])
        m = sum(r.get("missed") or 0 for r in rs)
        a = sum(r.get("attempted") or 0 for r in rs)
        return m, a

    if want2:
        for n in scales:
            for pct, key in (("p50", "p50_ms"), ("p99", "p99_ms")):
                o, l = get("ours", n, key), get("legacy", n, key)
                target = met = None
                if pct == "p99" and n == max(scales):
                    target, met = "≤ 50 ms", bool(o and o["median"] <= 50)
                note = []
                for mode in MODES:
                    m, a = miss(mode, n)
                    if m:
                        note.append("%s: %d of %d changes not called back within %.0f s"
                                    % (mode, m, a, cfg["s2_max_wait"]))
                    if mode == "legacy" and n > cfg["s2_legacy_max_keys"]:
                        note.append("legacy not run at this scale in this mode")
                    elif not get(mode, n, key) and per.get((mode, n)):
                        note.append("%s: not measured (see the notes below)" % NAMES[mode])
                rows.append(row(2, "publish → callback %s, %s watched key%s" % (pct, "{:,}".format(n),
                                                                                  "s" if n > 1 else ""),
                                "ms", o, l, None, target, met, "; ".join(note) or None, better="lower"))
    for n in (scales if want3 else []):
        if n == 1:
            continue  # in the plot only
        for key, label, unit, target, limit in (
                ("os_threads", "threads (OS, incl. main and child processes)", "", "≤ 6", 6),
                ("processes", "processes", "", None, None),
                ("rss_mib", "RSS (incl. child processes)", "MiB", None, None),
                ("idle_cpu_pct", "idle CPU", "% of a core", None, None),
                ("setup_s", "time to watch all keys (until a change is delivered)", "s", None, None)):
            o, l = get("ours", n, key), get("legacy", n, key)
            if n != max(scales):
                target = limit = None
            met = None if limit is None else bool(o and o["median"] <= limit)
            note = None
            if l is None and per.get(("legacy", n)):
                note = "legacy: not measured (see the notes below)"
            rows.append(row(3, "%s, %s watched keys" % (label, "{:,}".format(n)), unit, o, l, None, target, met,
                            note, better="lower"))
    return {"rows": rows, "latencies": lat_data, "scale": scale_data, "notes": notes}


def _f(v):
    return "-" if v is None else "%.1f" % v


# 4 ------------------------------------------------------------------------------------------------------
def s4_heartbeat(ctx, server):
    cfg = ctx["cfg"]
    rows, data, notes = [], {}, []
    per = {}
    for n, seconds in cfg["s4_scales"]:
        for mode in MODES:
            res = []
            for rep in range(cfg["s4_reps"] if n == cfg["s4_scales"][-1][0] else 1):
                res.append(_heartbeat_run(ctx, server, mode, n, seconds, rep))
                r = res[-1]
                log("s4 %s %d instances %ds: threads %s cpu %.1f%% healthy min %.3f end %.3f" % (
                    mode, n, seconds, r["threads_max"], r["cpu_pct"], r["healthy_min"], r["healthy_end"]))
            per[(mode, n)] = res
            data["%s/%d" % (mode, n)] = {
                "threads": stat([r["threads_max"] for r in res]), "cpu_pct": stat([r["cpu_pct"] for r in res]),
                "series": res[0]["series"], "seconds": seconds}
    n, seconds = cfg["s4_scales"][-1]
    g = lambda mode, k: stat([r[k] for r in per[(mode, n)]])  # noqa: E731
    o, l = g("ours", "threads_max"), g("legacy", "threads_max")
    label = "%s instances, %d s" % ("{:,}".format(n), seconds)
    rows.append(row(4, "threads (OS, max over the window), " + label, "", o, l, None, "≤ 4", bool(o["median"] <= 4),
                    "includes the main thread", better="lower"))
    rows.append(row(4, "CPU while beating, " + label, "% of a core", g("ours", "cpu_pct"), g("legacy", "cpu_pct"),
                    better="lower"))
    rows.append(row(4, "share healthy on the server (lowest sample), " + label, "", g("ours", "healthy_min"),
                    g("legacy", "healthy_min")))
    rows.append(row(4, "time to register all instances, " + label, "s", g("ours", "register_s"),
                    g("legacy", "register_s"), better="lower"))
    return {"rows": rows, "scale": data, "notes": notes}


def _heartbeat_run(ctx, server, mode, n, seconds, rep):
    service = "bench-hb-%s-%d-%d-%d" % (mode, n, rep, int(time.time()))
    cmd = [py(mode, ctx) or sys.executable, os.path.join(H.WORKERS, "heartbeat.py"), mode, server.address, service,
           str(n)]
    env = dict(os.environ)
    if mode == "ours":
        env["PYTHONPATH"] = H.ROOT
    else:
        env.pop("PYTHONPATH", None)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd="/tmp")
    try:
        ready = json.loads(proc.stdout.readline().decode())
        url = "http://%s/nacos/v1/ns/instance/list" % server.address
        session = requests.Session()
        series = []
        t0 = time.time()
        last = tree_stats(proc.pid)
        while True:
            time.sleep(min(2.0, max(0.0, t0 + seconds - time.time())))
            now = time.time()
            st = tree_stats(proc.pid)
            hosts = session.get(url, params={"serviceName": service, "healthyOnly": "false"},
                                timeout=10).json().get("hosts") or []
            healthy = sum(1 for h in hosts if h.get("healthy")) / float(n)
            series.append({"t": now - t0, "threads": st["os_threads"], "healthy": healthy,
                           "cpu_pct": 100.0 * (st["cpu_s"] - last["cpu_s"]) / max(1e-6, now - last.get("t", t0))})
            last = dict(st, t=now)
            if now - t0 >= seconds:
                break
        proc.stdin.write(b"\n")
        proc.stdin.flush()
        result = json.loads(proc.stdout.readline().decode())
    finally:
        if proc.poll() is None:
            proc.wait(30)
    return {"register_s": ready["register_s"], "cpu_pct": result["cpu_pct"],
            "threads_max": max(s["threads"] for s in series), "healthy_min": min(s["healthy"] for s in series),
            "healthy_end": series[-1]["healthy"], "series": series}


# 5 ------------------------------------------------------------------------------------------------------
#: the User-Agent of the push measurement on a real server: one the server's ClientInfo recognises (docs/naming.md)
PUSH_UA = "Nacos-Java-Client:v2.3.2"


def s5_subscribe(ctx, server_for, real=False):
    """Service change -> subscriber latency. Embedded: the push path (``push_mode="all"``) and the poll path
    (``listener_interval`` 1 s, both clients). Real server: the defaults (``subscribe(service, fn)``, which polls
    every ``cacheMillis`` the server answers since it does not push to this User-Agent), the fastest documented
    poll (``listener_interval=1``, both clients), and the same defaults with a User-Agent the server pushes to
    (``PUSH_UA``, set by the worker: a measurement of what a push would give, not a client setting)."""
    cfg = ctx["cfg"]
    rows, lat_data = [], {}
    max_wait = cfg["s5_max_wait"] if not real else max(cfg["s5_max_wait"], 25.0)
    if real:
        runs = [("defaults", "ours", "service", 10, "-"), ("poll", "ours", "legacy", cfg["s5_interval"], "-"),
                ("poll", "legacy", "legacy", cfg["s5_interval"], "-"), ("push-ua", "ours", "service", 10, PUSH_UA)]
    else:
        runs = [("push", "ours", "service", 10, "-"), ("poll", "ours", "legacy", cfg["s5_interval"], "-"),
                ("poll", "legacy", "legacy", cfg["s5_interval"], "-")]
    labels = {
        "push": "push path (server pushes to every subscriber)",
        "defaults": "defaults: subscribe(service, fn), the server does not push to this client, polls every "
                    "cacheMillis",
        "poll": "poll path (listener_interval=%g s for both; the fastest documented setting)" % cfg["s5_interval"],
        "push-ua": "push path with User-Agent %s (measurement only, not a client setting)" % PUSH_UA}
    per = {}
    for path, mode, form, interval, ua in runs:
        server = server_for(path)
        res = []
        for rep in range(cfg["s5_reps"]):
            service = "bench-sub-%s-%s-%d-%d" % (path, mode, rep, int(time.time()))
            r = H.run_worker("subscribe", [mode, server.address, service, form, interval, cfg["s5_samples"],
                                           rep + 1, cfg["s5_gap"], max_wait, ua],
                             python=py(mode, ctx), timeout=900)
            res.append(r)
            log("s5 %s %s: p50 %s p99 %s missed %s list/s %s pushes %s load %s" % (
                path, mode, _f(r["p50_ms"]), _f(r["p99_ms"]), r["missed"], r.get("list_requests_per_s"),
                r.get("push_packets"), H.loadavg()))
        per[(path, mode)] = res
        lat_data["%s/%s" % (path, mode)] = sum((r["latencies_ms"] for r in res), [])
    for path in [p for p in ("push", "defaults", "poll", "push-ua") if (p, "ours") in per]:
        for pct, key in (("p50", "p50_ms"), ("p99", "p99_ms")):
            o = stat([r[key] for r in per[(path, "ours")]])
            l = stat([r[key] for r in per[(path, "legacy")]]) if (path, "legacy") in per else None
            target = met = None
            if path == "push" and pct == "p99":
                target, met = "≤ 100 ms", bool(o and o["median"] <= 100)
            note = None
            if path == "push" and pct == "p50":
                note = "legacy has no UDP push: its poll path is the row below"
            elif path == "push-ua" and pct == "p50":
                note = "legacy has no UDP push"
            missed = sum(r["missed"] for r in per[(path, "ours")] + per.get((path, "legacy"), []))
            if missed:
                note = ((note + "; ") if note else "") + "%d changes never reported within %.0f s" % (
                    missed, max_wait)
            rows.append(row(5, "service change → subscriber %s, %s" % (pct, labels[path]), "ms", o, l, None,
                            target, met, note, better="lower"))
        lists = stat([r.get("list_requests_per_s") for r in per[(path, "ours")]])
        pushes = stat([r.get("push_packets") for r in per[(path, "ours")]])
        if lists is not None:
            rows.append(row(5, "instance-list requests/s per subscribed service, %s" % labels[path], "req/s", lists,
                            better="lower", note="UDP push packets received per run: %g" % pushes["median"]
                            if pushes is not None else None))
    return {"rows": rows, "latencies": lat_data}


# 6 ------------------------------------------------------------------------------------------------------
def s6_adapter(ctx, server):
    cfg = ctx["cfg"]
    if not os.path.exists(os.path.join(H.WORKERS, "adapter_overhead.py")):
        return {"rows": [], "skipped": "bench/workers/adapter_overhead.py is not there"}
    res = []
    for rep in range(cfg["s6_reps"]):
        r = H.run_worker("adapter_overhead", [cfg["s6_requests"]], timeout=600)
        res.append(r)
        log("s6: overhead median %s µs p99 %s µs" % (r["overhead_median_us"], r["overhead_p99_us"]))
    g = lambda k: stat([r[k] for r in res])  # noqa: E731
    o = g("overhead_median_us")
    rows = [row(6, "requests adapter: per-request overhead vs a direct http://ip:port call (median)", "µs",
                o, None, None, "≤ 50 µs", bool(o["median"] <= 50), better="lower"),
            row(6, "requests adapter: per-request overhead (p99 − p99)", "µs", g("overhead_p99_us"), better="lower"),
            row(6, "adapter request, median (direct keep-alive call in the baseline column)", "µs",
                g("adapter_median_us"), None, g("direct_median_us"), better="lower"),
            row(6, "name resolution alone (Discovery.start + next_url), median", "µs", g("resolve_median_us"),
                better="lower")]
    return {"rows": rows, "runs": res, "note": "embedded server started by the worker itself"}


# 7 ------------------------------------------------------------------------------------------------------
def s7_startup(ctx, server):
    cfg = ctx["cfg"]
    populate(server, 0)
    # byte-compile the work tree as pip does for an installed package (the legacy client's): with
    # PYTHONDONTWRITEBYTECODE set, every import would otherwise compile the sources
    compileall.compile_dir(os.path.join(H.ROOT, "nacos"), quiet=1)
    per = dict((m, []) for m in MODES)
    for rep in range(cfg["s7_reps"]):
        for mode in MODES:
            per[mode].append(H.run_worker("startup", [mode, server.address], python=py(mode, ctx), timeout=60))
    rows = []
    for key, label in (("import_ms", "`import nacos`"), ("construct_ms", "`NacosClient(...)`"),
                       ("first_call_ms", "first get_config (new connection)"),
                       ("second_call_ms", "second get_config")):
        rows.append(row(7, label, "ms", stat([r[key] for r in per["ours"]]), stat([r[key] for r in per["legacy"]]),
                        better="lower"))
    log("s7: import ours %.1f ms legacy %.1f ms" % (rows[0]["ours"]["median"], rows[0]["legacy"]["median"]))
    return {"rows": rows, "modules": {"ours": per["ours"][0]["modules"], "legacy": per["legacy"][0]["modules"]}}


# 8 ------------------------------------------------------------------------------------------------------
def s8_v3(ctx, server, v1_server):
    """A server without the v1 API (v3 only): get_config on v3 vs v1 (``v1_server``: the same kind of server
    serving v1), md5-polling watchers at 1, 50, 1,000 and 10,000 keys (latency and the requests/s they cost the
    server), and subscription latency at the default and the fastest poll interval. The legacy client cannot
    talk to such a server at all (every v1 call answers 410): its column stays empty."""
    cfg = ctx["cfg"]
    rows, data = [], {}
    runs = dict((m, []) for m in ("v3", "raw-v3", "v1"))
    for rep in range(cfg["s8_reps"]):
        runs["v3"].append(H.run_worker("v3", ["get", server.address, cfg["s1_seconds"], "ours"])["calls_per_s"])
        runs["raw-v3"].append(H.run_worker("v3", ["get", server.address, cfg["s1_seconds"], "raw"])["calls_per_s"])
        if v1_server is not None:
            runs["v1"].append(H.run_worker("get_config", ["ours", v1_server.address, 1, cfg["s1_seconds"]])
                              ["calls_per_s"])
    v3, raw, v1 = stat(runs["v3"]), stat(runs["raw-v3"]), stat(runs["v1"])
    rows.append(row(8, "get_config calls/s on a v3-only server, 1 thread (baseline: raw v3 loop)", "calls/s", v3,
                    None, raw, note="the same SDK on a v1 server: %s calls/s" % (
                        "%.0f" % v1["median"] if v1 else "not measured")))
    log("s8 get: v3 %.0f raw-v3 %.0f v1 %s" % (v3["median"], raw["median"], v1 and "%.0f" % v1["median"]))
    for n in cfg["s8_keys"]:
        r = H.run_worker("v3", ["watch", server.address, n, cfg["s8_samples"], cfg["s8_idle"], n],
                         timeout=1800)
        data["watch/%d" % n] = r
        note = "%d of %d changes missed" % (r["missed"], r["attempted"]) if r["missed"] else None
        for pct in ("p50", "p99"):
            rows.append(row(8, "v3 publish → callback %s, %s watched key%s" % (pct, "{:,}".format(n),
                                                                            "s" if n > 1 else ""),
                            "ms", stat([r["%s_ms" % pct]]), note=note, better="lower"))
        rows.append(row(8, "v3 config requests/s while watching %s key%s idle" % ("{:,}".format(n),
                                                                                "s" if n > 1 else ""),
                        "req/s", stat([r["idle_requests_per_s"]]), better="lower"))
        log("s8 watch %d: p50 %s p99 %s idle %.1f req/s" % (n, _f(r["p50_ms"]), _f(r["p99_ms"]),
                                                            r["idle_requests_per_s"]))
    for interval in cfg["s8_intervals"]:
        r = H.run_worker("v3", ["subscribe", server.address, interval, cfg["s8_sub_samples"], int(interval * 10)],
                         timeout=600)
        data["subscribe/%s" % interval] = r
        for pct in ("p50", "p99"):
            rows.append(row(8, "v3 service change → subscriber %s, naming_poll_interval %ss" % (pct, interval),
                            "ms", stat([r["%s_ms" % pct]]), better="lower",
                            note="%.2f list requests/s per subscribed service" % r["list_requests_per_s"]))
        log("s8 subscribe %ss: p50 %s p99 %s" % (interval, _f(r["p50_ms"]), _f(r["p99_ms"])))
    return {"rows": rows, "data": data, "get": runs}
