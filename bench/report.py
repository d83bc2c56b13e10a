"""report.md and the PNG plots from results.json."""
from __future__ import print_function

import os

NAMES = {"ours": "this SDK", "legacy": "nacos-sdk-python 2.0.11", "raw": "raw requests.Session"}
COLORS = {"ours": "C0", "legacy": "C1", "raw": "C2"}


def fmt(v):
    if v is None:
        return "–"
    a = abs(v)
    if a >= 100:
        return "{:,.0f}".format(v)
    if a >= 10:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def cell(s):
    if not s:
        return "–"
    if len(s["runs"]) == 1:
        return "%s (1 run)" % fmt(s["median"])
    return "%s (%s–%s)" % (fmt(s["median"]), fmt(s["min"]), fmt(s["max"]))


def ratio(a, b):
    if not a or not b or not b["median"]:
        return "–"
    return "%.2f×" % (a["median"] / b["median"])


def table(rows):
    out = ["| # | metric | unit | this SDK | legacy 2.0.11 | baseline | this / legacy | this / baseline | target |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        target = r["target"] or ""
        if r["met"] is not None:
            target = "%s %s" % ("**met**" if r["met"] else "**missed**", target)
        metric = r["metric"] + (" — " + r["note"] if r.get("note") else "")
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["scenario"], metric, r["unit"], cell(r["ours"]), cell(r["legacy"]), cell(r["baseline"]),
            ratio(r["ours"], r["legacy"]), ratio(r["ours"], r["baseline"]), target))
    return "\n".join(out)


def write(results, out_dir):
    plots = make_plots(results, out_dir)
    m, v = results["machine"], results["versions"]
    lines = ["# Benchmark report (%s mode)" % results["mode"], "",
             "Started %s, took %.0f s. Machine: %s, %s CPUs, %s GiB. Load average (1/5/15 min) before: %s, after: "
             "%s." % (results["started"], results.get("duration_s", 0), m.get("cpu", "?"), m.get("cpus"),
                      m.get("memory_gib"), results.get("load_before"), results.get("load_after")),
             "Versions: this SDK %s (git %s) with requests %s on Python %s; legacy: %s on Python %s." % (
                 v.get("this_sdk"), v.get("git", "?"), v.get("requests"), v.get("python"), v.get("legacy"),
                 v.get("legacy_python")),
             "Each figure: median of the runs, (min–max) across runs. Ratios compare medians.", ""]
    for kind in sorted(results["servers"], key=lambda k: k != "real"):  # real-server rows first
        scen = results["servers"][kind]
        lines += ["## Server: %s" % ("embedded (`python -m nacos.testing`, own process)" if kind == "embedded"
                                     else "real Nacos at NACOS_SERVER_ADDR (%s)" % results.get("real_server", "?")),
                  ""]
        rows = []
        for name in sorted(scen):
            rows += scen[name].get("rows", [])
        lines += [table(rows), ""]
        for name in sorted(scen):
            s = scen[name]
            extra = []
            if s.get("error"):
                extra.append("**error**: " + s["error"])
            if s.get("skipped"):
                extra.append("skipped: " + s["skipped"])
            extra += s.get("notes") or []
            extra.append("took %.0f s, load average after: %s" % (s.get("seconds", 0), s.get("load_after")))
            lines.append("- scenario %s: %s" % (name, "; ".join(extra)))
        lines.append("")
        prof = (scen.get("1") or {}).get("profile")
        if prof:
            lines += ["### Where a get_config call of this SDK spends its time (cProfile, %d calls)" % prof["calls"], "",
                      "Unprofiled: %.0f µs per call; profiled: %.0f µs per call." % (
                          prof["plain_us_per_call"], prof["profiled_us_per_call"]), "",
                      "| own time by area | µs/call |", "|---|---|"]
            lines += ["| %s | %s |" % kv for kv in prof["own_time_us_by_area"].items()]
            lines += ["", "| cumulative time of | µs/call |", "|---|---|"]
            lines += ["| %s | %s |" % kv for kv in prof["cumulative_us"].items()]
            lines.append("")
    if plots:
        lines += ["## Plots", ""] + ["![%s](%s)" % (t, os.path.basename(p)) for t, p in plots] + [""]
    with open(os.path.join(out_dir, "report.md"), "w") as fp:
        fp.write("\n".join(lines))


def make_plots(results, out_dir):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plots (bench/run installs it into .cache/bench-venv)")
        return []
    plt.rcParams.update({"font.size": 8, "figure.dpi": 80})
    made = []
    scen = results["servers"].get("embedded") or next(iter(results["servers"].values()), {})

    def save(fig, name, title):
        path = os.path.join(out_dir, name)
        fig.tight_layout()
        fig.savefig(path, dpi=80)
        plt.close(fig)
        made.append((title, path))

    s23 = scen.get("2+3") or {}
    lat = s23.get("latencies") or {}
    if any(lat.values()):
        fig, ax = plt.subplots(figsize=(6, 3.4))
        for key in sorted(lat, key=lambda k: (k.split("/")[0], int(k.split("/")[1]))):
            vals = sorted(lat[key])
            if not vals:
                continue
            mode, n = key.split("/")
            ys = [(i + 1) / float(len(vals)) for i in range(len(vals))]
            ax.step(vals, ys, where="post", label="%s, %s keys" % (NAMES[mode], "{:,}".format(int(n))),
                    linestyle="-" if mode == "ours" else "--")
        ax.set_xscale("log")
        ax.set_xlabel("publish → callback latency (ms, log)")
        ax.set_ylabel("share of changes")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        save(fig, "watch_latency.png", "publish → callback latency distribution")
    lat5 = (scen.get("5") or {}).get("latencies") or {}
    if any(lat5.values()):
        fig, ax = plt.subplots(figsize=(6, 3.0))
        for key in sorted(lat5):
            vals = sorted(lat5[key])
            if not vals:
                continue
            path, mode = key.split("/")
            ys = [(i + 1) / float(len(vals)) for i in range(len(vals))]
            ax.step(vals, ys, where="post", label="%s, %s path" % (NAMES[mode], path),
                    linestyle="-" if mode == "ours" else "--", color={"push": "C0", "poll": "C2"}.get(path, "C3")
                    if mode == "ours" else COLORS[mode])
        ax.set_xscale("log")
        ax.set_xlabel("service change → subscriber latency (ms, log)")
        ax.set_ylabel("share of changes")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        save(fig, "subscribe_latency.png", "service change → subscriber latency distribution")
    scale = s23.get("scale") or {}
    s4 = (scen.get("4") or {}).get("scale") or {}
    if scale or s4:
        fig, axes = plt.subplots(1, 3, figsize=(9, 2.8))
        for mode in ("ours", "legacy"):
            pts = sorted((int(k.split("/")[1]), v) for k, v in scale.items() if k.startswith(mode + "/") and
                         v.get("os_threads"))
            if pts:
                xs = [p[0] for p in pts]
                for ax, key, label in ((axes[0], "os_threads", "threads"), (axes[1], "rss_mib", "RSS (MiB)")):
                    ys = [p[1][key]["median"] for p in pts]
                    err = [[y - p[1][key]["min"] for y, p in zip(ys, pts)], [p[1][key]["max"] - y for y, p in zip(ys, pts)]]
                    ax.errorbar(xs, ys, yerr=err, marker="o", capsize=3, label=NAMES[mode], color=COLORS[mode],
                                linestyle="-" if mode == "ours" else "--")
                    ax.set_xscale("log")
                    ax.set_xlabel("watched keys")
                    ax.set_title(label + " vs watched keys")
            hb = sorted((int(k.split("/")[1]), v) for k, v in s4.items() if k.startswith(mode + "/"))
            if hb:
                xs = [p[0] for p in hb]
                ys = [p[1]["threads"]["median"] for p in hb]
                axes[2].plot(xs, ys, marker="o", label=NAMES[mode], color=COLORS[mode],
                             linestyle="-" if mode == "ours" else "--")
                axes[2].set_xscale("log")
                axes[2].set_yscale("log")
                axes[2].set_xlabel("heartbeating instances")
                axes[2].set_title("threads vs instances")
        for ax in axes:
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        save(fig, "threads_scale.png", "threads and memory against scale")
    if s4:
        fig, axes = plt.subplots(1, 2, figsize=(8, 2.8))
        for key, v in sorted(s4.items()):
            mode, n = key.split("/")
            series = v.get("series") or []
            if int(n) != max(int(k.split("/")[1]) for k in s4):
                continue
            ts = [p["t"] for p in series]
            cpu = [p["cpu_pct"] for p in series]
            smooth = [sum(cpu[max(0, i - 4):i + 1]) / len(cpu[max(0, i - 4):i + 1]) for i in range(len(cpu))]
            axes[0].plot(ts, smooth, label=NAMES[mode], color=COLORS[mode])
            axes[1].plot(ts, [100 * p["healthy"] for p in series], marker=".", label=NAMES[mode], color=COLORS[mode])
        axes[0].set_title("CPU while beating (% of a core, 10 s mean)")
        axes[1].set_title("share healthy on the server (%)")
        axes[1].set_ylim(-5, 105)
        for ax in axes:
            ax.set_xlabel("seconds after registration")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        save(fig, "heartbeat.png", "heartbeats: CPU and healthy share over time")
    s1 = (scen.get("1") or {}).get("data") or {}
    if s1:
        fig, ax = plt.subplots(figsize=(5, 2.8))
        modes = ["ours", "legacy", "raw"]
        width = 0.25
        for i, mode in enumerate(modes):
            xs, ys, lo, hi = [], [], [], []
            for j, threads in enumerate(sorted(s1, key=int)):
                runs = sorted(s1[threads][mode])
                med = runs[len(runs) // 2] if len(runs) % 2 else (runs[len(runs) // 2 - 1] + runs[len(runs) // 2]) / 2.0
                xs.append(j + (i - 1) * width)
                ys.append(med)
                lo.append(med - runs[0])
                hi.append(runs[-1] - med)
            ax.bar(xs, ys, width, yerr=[lo, hi], capsize=3, label=NAMES[mode], color=COLORS[mode])
        ax.set_xticks(range(len(s1)))
        ax.set_xticklabels(["%s thread%s" % (t, "s" if int(t) > 1 else "") for t in sorted(s1, key=int)])
        ax.set_ylabel("get_config calls/s")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3, axis="y")
        save(fig, "get_config.png", "get_config throughput")
    return made
