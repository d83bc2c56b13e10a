"""``python -m bench [--quick] [--scenarios 1,2,...] [--out DIR]``: this SDK side by side with nacos-sdk-python
2.0.11's ``nacos.NacosClient`` and a raw baseline, against the same server in the same run.

Writes ``results.json``, ``report.md`` and PNG plots to ``--out`` (default ``bench/results/``). Servers: the
embedded one (``python -m nacos.testing`` in its own process); with ``NACOS_SERVER_ADDR`` set, a real Nacos as
well (``--servers real`` for it alone). Scenario 8 measures a server without the v1 API: the embedded one with
``--no-v1``, and with ``NACOS_V3_SERVER_ADDR`` also a real one (e.g. ``scripts/real-nacos start 3.x --no-v1``).
``NACOS_REAL_LABEL`` (e.g. "Nacos 2.3.2") names the real server in the report. See docs/benchmarks.md.
"""
from __future__ import print_function

import argparse
import json
import os
import sys
import time

from . import harness as H
from . import scenarios as S

QUICK = {
    "s1_reps": 3, "s1_seconds": 0.6, "s1_cpu_calls": 1000, "profile": True, "profile_calls": 1500,
    "s2_keys": [1, 1000, 10000], "s2_reps": 1, "s2_legacy_reps": 1, "s2_samples": 6, "s2_gap": 0.3,
    "s2_max_wait": 5.0, "s2_add_budget": 5.0, "s2_budget": 15.0, "s2_legacy_budget": 10.0, "s2_legacy_max_keys": 10000, "s3_idle": 2.0, "s3_settle": 5.5,
    "s4_scales": [(1000, 20)], "s4_reps": 1,
    "s5_reps": 1, "s5_samples": 5, "s5_gap": 0.3, "s5_max_wait": 10.0, "s5_interval": 1.0,
    "s6_reps": 1, "s6_requests": 1000,
    "s7_reps": 3,
    "s8_reps": 1, "s8_keys": [1, 50, 1000], "s8_samples": 5, "s8_idle": 3.0, "s8_intervals": [2.0, 1.0],
    "s8_sub_samples": 5,
}
FULL = {
    "s1_reps": 5, "s1_seconds": 3.0, "s1_cpu_calls": 3000, "s1_nofiles": True, "profile": True, "profile_calls": 3000,
    "s2_keys": [1, 1000, 10000], "s2_reps": 3, "s2_legacy_reps": 3, "s2_legacy_reps_10000": 1, "s2_samples": 30, "s2_gap": 1.0,
    "s2_max_wait": 10.0, "s2_add_budget": 60.0, "s2_budget": 60.0, "s2_legacy_budget": 40.0, "s2_legacy_max_keys": 10000, "s3_idle": 10.0, "s3_settle": 6.0,
    "s4_scales": [(100, 20), (1000, 120)], "s4_reps": 2,
    "s5_reps": 3, "s5_samples": 20, "s5_gap": 1.0, "s5_max_wait": 15.0, "s5_interval": 1.0,
    "s6_reps": 3, "s6_requests": 5000,
    "s7_reps": 7,
    "s8_reps": 3, "s8_keys": [1, 50, 1000, 10000], "s8_samples": 20, "s8_idle": 10.0, "s8_intervals": [2.0, 1.0],
    "s8_sub_samples": 15,
}


loadavg = H.loadavg


def versions(ctx):
    import subprocess
    out = {"python": sys.version.split()[0]}
    try:
        out["this_sdk"] = subprocess.check_output(
            [sys.executable, "-c", "import nacos, requests; print(nacos.__version__, requests.__version__)"],
            env=dict(os.environ, PYTHONPATH=H.ROOT), cwd="/tmp").decode().split()
        out["requests"] = out["this_sdk"][1]
        out["this_sdk"] = out["this_sdk"][0]
    except Exception as e:  # noqa: BLE001
        out["this_sdk"] = "? (%s)" % e
    out["legacy"] = "nacos-sdk-python %s" % H.LEGACY_VERSION
    try:
        out["legacy_python"] = subprocess.check_output(
            [ctx["legacy_python"], "-c", "import sys; print(sys.version.split()[0])"]).decode().strip()
        out["matplotlib"] = __import__("matplotlib").__version__
    except Exception:  # noqa: BLE001
        pass
    try:
        out["git"] = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=H.ROOT).decode().strip()
    except Exception:  # noqa: BLE001
        pass
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="short runs, one repetition where runs are long (< 3 min)")
    ap.add_argument("--scenarios", default="1,2,3,4,5,6,7,8", help="comma-separated, e.g. 1,2 (default: all)")
    ap.add_argument("--out", default=os.path.join(H.HERE, "results"), help="output directory")
    ap.add_argument("--servers", default="auto", choices=("auto", "embedded", "real", "both"),
                    help="auto: embedded, plus the real one when NACOS_SERVER_ADDR is set")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override one setting of the mode (a key of QUICK/FULL, value as JSON), e.g. s5_samples=12")
    ap.add_argument("--plots-only", action="store_true", help="redraw report and plots from OUT/results.json")
    args = ap.parse_args(argv)
    from . import report

    if args.plots_only:
        with open(os.path.join(args.out, "results.json")) as fp:
            results = json.load(fp)
        report.write(results, args.out)
        return 0

    wanted = [int(x) for x in args.scenarios.split(",") if x.strip()]
    cfg = dict(QUICK if args.quick else FULL)
    for item in args.set:
        key, _, value = item.partition("=")
        if key not in cfg:
            ap.error("--set: unknown setting %r (one of %s)" % (key, ", ".join(sorted(cfg))))
        cfg[key] = json.loads(value)
    real = os.environ.get("NACOS_SERVER_ADDR")
    real_v3 = os.environ.get("NACOS_V3_SERVER_ADDR")
    kinds = {"auto": ["embedded"] + (["real"] if real else []), "embedded": ["embedded"], "real": ["real"],
             "both": ["embedded", "real"]}[args.servers]
    if "real" in kinds and not real:
        ap.error("--servers %s needs NACOS_SERVER_ADDR" % args.servers)
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    ctx = {"cfg": cfg, "legacy_python": H.legacy_python()}
    results = {"mode": "quick" if args.quick else "full", "config": cfg, "scenarios_run": wanted,
               "machine": H.machine(), "versions": versions(ctx), "load_before": loadavg(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "servers": {},
               "real_server": os.environ.get("NACOS_REAL_LABEL") or real}
    S.log("%s run, scenarios %s, servers %s, load %s" % (results["mode"], wanted, kinds, results["load_before"]))
    for kind in kinds:
        out = results["servers"][kind] = {}

        def server(**options):
            if kind == "real":
                srv = H.RealServer(real)
            else:
                srv = H.EmbeddedServerProcess(**options)
            srv.kind = kind
            return srv

        def timed(name, fn):
            t = time.time()
            try:
                out[name] = fn()
            except Exception as e:  # noqa: BLE001  (one broken scenario must not lose the others)
                import traceback
                traceback.print_exc()
                out[name] = {"rows": [], "error": "%s: %s" % (type(e).__name__, e)}
            out[name]["seconds"] = time.time() - t
            out[name]["load_after"] = loadavg()
            S.log("scenario %s on %s took %.0f s" % (name, kind, out[name]["seconds"]))

        if 1 in wanted:
            with server() as srv:
                timed("1", lambda: S.s1_get_config(ctx, srv))
        if 2 in wanted or 3 in wanted:
            with server() as srv:
                timed("2+3", lambda: S.s23_watchers(ctx, srv, want2=2 in wanted, want3=3 in wanted))
        if 4 in wanted:
            with server() as srv:
                timed("4", lambda: S.s4_heartbeat(ctx, srv))
        if 5 in wanted:
            if kind == "real":
                srv = server()
                timed("5", lambda: S.s5_subscribe(ctx, lambda path: srv, real=True))
            else:
                with server(push_mode="all") as push, server(push_mode="off") as poll:
                    timed("5", lambda: S.s5_subscribe(ctx, lambda path: push if path == "push" else poll))
        if 6 in wanted and kind == "embedded":
            timed("6", lambda: S.s6_adapter(ctx, None))
        if 7 in wanted:
            with server() as srv:
                timed("7", lambda: S.s7_startup(ctx, srv))
        if 8 in wanted:  # a server without the v1 API: embedded with no_v1, or the real one at NACOS_V3_SERVER_ADDR
            if kind == "real":
                if real_v3:
                    timed("8", lambda: S.s8_v3(ctx, H.RealServer(real_v3), H.RealServer(real)))
            else:
                with server(no_v1=True) as v3srv, server() as v1srv:
                    timed("8", lambda: S.s8_v3(ctx, v3srv, v1srv))
    results["load_after"] = loadavg()
    results["duration_s"] = time.time() - started
    with open(os.path.join(args.out, "results.json"), "w") as fp:
        json.dump(results, fp, indent=1, sort_keys=True)
    report.write(results, args.out)
    S.log("done in %.0f s: %s" % (results["duration_s"], os.path.join(args.out, "report.md")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
