# -*- coding: utf-8 -*-
"""A real 3-node Nacos cluster with one node killed and restarted: calls succeed without user-visible errors.

Runs only when ``NACOS_CLUSTER_ADDRS`` is set, e.g. after::

    eval "$(scripts/real-nacos start-cluster 2.x)"     # NACOS_CLUSTER_ADDRS=127.0.0.1:8848,127.0.0.1:8858,...

The tests kill and restart nodes with ``scripts/real-nacos kill-node`` / ``restart-node``, so the cluster must
have been started by that script (same ``NACOS_CACHE`` / ``NACOS_RUN_DIR``). Each test takes about 90 s.

One NacosClient on all three addresses publishes and reads configs, watches a key, keeps a managed ephemeral
instance and subscribes to its service. Then the node the client is talking to is SIGKILLed and the client keeps
calling for ``NACOS_CLUSTER_OUTAGE_SECONDS`` (30) seconds: every call must succeed (the client rotates), a change
published during the outage must reach the watcher, the managed instance must stay healthy and a new instance
must reach the subscription. Then the node is restarted: it must catch up (configs written and instances
registered while it was down are served by it) and the client must keep working, also on that node.

Two victims: a follower of the config store's JRaft group, and its leader (the client is first moved onto that
node, so it is the client's current server either way). Killing the leader leaves the cluster without a config
leader until JRaft elects a new one: every node then answers config writes with ``500 ... ConsistencyException``.
The figures are printed as one ``CLUSTER_FIGURES {json}`` line per test (run pytest with ``-s``).
"""
import json
import os
import subprocess
import threading
import time
import uuid

import pytest
import requests

import nacos
from support.wait import wait_for

ADDRS = os.environ.get("NACOS_CLUSTER_ADDRS", "").strip()
OUTAGE_SECONDS = float(os.environ.get("NACOS_CLUSTER_OUTAGE_SECONDS", "30"))
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "real-nacos")
WRITES = ("publish counter", "publish watched w2", "add 10.77.0.2")
WRITE_WINDOW_LIMIT = 20.0  # writes may fail only this long after the kill (a leader election, a member marked DOWN)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not ADDRS, reason="needs a real 3-node Nacos cluster: run `eval \"$(scripts/real-nacos start-cluster 2.x)\"` "
                      "to set NACOS_CLUSTER_ADDRS (about 90 s per test)")]


def _script(*args):
    started = time.time()
    proc = subprocess.run([SCRIPT] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=400)
    if proc.returncode != 0:
        pytest.fail("scripts/real-nacos %s failed (rc %d):\n%s%s"
                    % (" ".join(args), proc.returncode, proc.stdout, proc.stderr[-4000:]))
    return time.time() - started


def _metric(client, name, **labels):
    total = 0
    for sample in client.metrics().get(name, []):
        if all(sample["labels"].get(k) == v for k, v in labels.items()):
            total += sample["value"]
    return total


def _wait(condition, timeout, what):
    return wait_for(condition, timeout, interval=0.1, message="%s: not within %.0fs" % (what, timeout))


def _direct(port, path, **params):
    """GET straight from one node (not through the client): (status, text)."""
    try:
        r = requests.get("http://127.0.0.1:%d/nacos%s" % (port, path), params=params, timeout=5)
        return r.status_code, r.text
    except requests.RequestException as exc:
        return 0, str(exc)


def _config_leader(ports):
    """HTTP port of the node leading the config store's JRaft group (raft port = HTTP port - 1000). Every member
    reports its own view and a dead member's view is stale, so the highest term wins."""
    best = (-1, None)
    for port in ports:
        status, text = _direct(port, "/v1/core/cluster/nodes")
        if status != 200:
            continue
        for member in json.loads(text).get("data", []):
            meta = ((member.get("extendInfo") or {}).get("raftMetaData") or {}).get("metaDataMap") or {}
            info = meta.get("nacos_config") or {}
            if info.get("leader") and (info.get("term") or 0) > best[0]:
                best = (info.get("term") or 0, int(info["leader"].rsplit(":", 1)[1]) + 1000)
    return best[1]


def _hosts(info):
    return sorted((h["ip"], h["port"], h["healthy"]) for h in info.get("hosts", []))


@pytest.mark.parametrize("victim_role", ["follower", "leader"])
def test_one_node_killed_and_restarted(victim_role, tmpdir):
    ports = [int(a.rsplit(":", 1)[1]) for a in ADDRS.split(",")]
    assert len(ports) == 3, "NACOS_CLUSTER_ADDRS must list the 3 nodes: %r" % ADDRS
    group = "cluster-%s" % uuid.uuid4().hex[:8]
    figures = {"addrs": ADDRS, "group": group, "victim_role": victim_role}
    # retry_window: the documented setting for a cluster (more passes over the nodes while a leader is elected)
    client = nacos.NacosClient(ADDRS, failover_base=str(tmpdir.join("fo")), snapshot_base=str(tmpdir.join("sn")),
                               naming_cache_dir=str(tmpdir.join("nc")), retry_window=15)
    try:
        _run(client, ports, group, "cluster-svc", victim_role, figures)
    finally:
        figures["client_metrics"] = {
            "server_rotations": _metric(client, "nacos_server_rotations_total"),
            "beats_ok": _metric(client, "nacos_naming_beats_total", outcome="ok"),
            "beats_failed": _metric(client, "nacos_naming_beats_total", outcome="failed"),
            "reregistrations": _metric(client, "nacos_naming_reregistrations_total"),
            "subscription_polls_failed": _metric(client, "nacos_naming_polls_total", outcome="failed"),
            "get_config_from_snapshot": _metric(client, "nacos_config_get_total", source="snapshot"),
        }
        client.stop()
        print("\nCLUSTER_FIGURES %s" % json.dumps(figures, sort_keys=True))
    errors_by_call = figures["errors_by_call"]
    config_writes = dict((k, v["count"]) for k, v in errors_by_call.items() if k.startswith("publish"))
    assert not config_writes, ("config writes failed although retry_window rides out 15 s of leader election: "
                               "%s; e.g. %s" % (config_writes, figures["first_errors"][:1]))
    naming_writes = dict((k, v["count"]) for k, v in errors_by_call.items() if k.startswith("add"))
    if naming_writes or figures["instance_listed_unhealthy_at_seconds"]:
        # Only inside the server-side window (asserted in _run): the cluster itself refused to register an
        # instance whose responsible node had died, or listed the beating instance unhealthy while Distro moved
        # it to another node. No client retry can change what every live node answers; see docs/reliability.md.
        pytest.xfail("Distro window after the kill: naming writes refused %s, instance listed unhealthy at %s s; "
                     "reads, config writes, watchers, subscriptions and heartbeats had no user-visible error"
                     % (naming_writes, figures["instance_listed_unhealthy_at_seconds"]))


def _run(client, ports, group, svc, victim_role, figures):
    # ------------------------------------------------------------------ before: everything works on the cluster
    assert client.publish_config("cfg", group, "v1") is True
    _wait(lambda: client.get_config("cfg", group, no_snapshot=True) == "v1", 10, "cfg v1 readable")
    for port in ports:  # replicated through JRaft to every node
        _wait(lambda: _direct(port, "/v1/cs/configs", dataId="cfg", group=group) == (200, "v1"), 10,
              "cfg v1 on node :%d" % port)

    seen = []
    watched_w2 = threading.Event()

    def on_change(params):
        seen.append((time.time(), params["content"]))
        if params["content"] == "w2":
            watched_w2.set()

    assert client.publish_config("watched", group, "w1") is True
    _wait(lambda: client.get_config("watched", group, no_snapshot=True) == "w1", 10, "watched w1 readable")
    client.add_config_watcher("watched", group, on_change)
    _wait(lambda: [c for _, c in seen] == ["w1"], 10, "initial watcher callback")

    assert client.add_naming_instance(svc, "10.77.0.1", 8080, group_name=group) is True
    updates = []
    client.subscribe(svc, lambda event: updates.append((time.time(), _hosts(event))), group_name=group)
    _wait(lambda: updates and ("10.77.0.1", 8080, True) in updates[-1][1], 15, "subscription sees 10.77.0.1")

    # ------------------------------------------------------------------ kill the node the client is talking to
    leader = _config_leader(ports)
    assert leader in ports, "no config leader found in /v1/core/cluster/nodes"
    figures["config_leader_before_kill"] = leader
    for _ in range(len(ports)):  # move the client onto the victim: the leader, or a follower
        if (client.current_server[1] == leader) == (victim_role == "leader"):
            break
        client.change_server()
    assert client.get_config("cfg", group, no_snapshot=True) == "v1"
    victim = client.current_server[1]
    assert (victim == leader) == (victim_role == "leader")
    figures["killed_port"] = victim
    live = [p for p in ports if p != victim]
    time.sleep(1.0)  # let the watcher's long poll be held by the victim
    t_kill = time.time()
    figures["kill_seconds"] = round(_script("kill-node", str(victim)), 2)

    calls = 0
    errors = {}          # call name -> {"count", "first_s", "last_s"}
    first_errors = []
    wrong = []
    unhealthy = []       # seconds after the kill at which the cluster listed the beating instance unhealthy
    latencies = []
    first_call = None
    unhealthy_samples = 0
    done = {}  # one-shot writes -> time they succeeded; a failed one is counted and tried again next round
    one_shot = [(5.0, "publish watched w2", lambda: client.publish_config("watched", group, "w2")),
                (8.0, "add 10.77.0.2", lambda: client.add_naming_instance(svc, "10.77.0.2", 8080, group_name=group))]
    counter = 0
    last_counter_ok = None
    while time.time() - t_kill < OUTAGE_SECONDS:
        elapsed = time.time() - t_kill
        ops = [(name, call, True) for at, name, call in one_shot if elapsed >= at and name not in done]
        counter += 1
        value = "n%d" % counter
        ops += [("publish counter", lambda: client.publish_config("counter", group, value), True),
                ("get cfg", lambda: client.get_config("cfg", group, no_snapshot=True), "v1"),
                ("list instances", lambda: client.list_naming_instance(svc, group_name=group), None)]
        for name, call, expected in ops:
            started = time.time()
            calls += 1
            try:
                result = call()
            except Exception as exc:  # a user-visible error
                at = round(started - t_kill, 2)
                e = errors.setdefault(name, {"count": 0, "first_s": at})
                e["count"] += 1
                e["last_s"] = at
                if len(first_errors) < 5:
                    first_errors.append("%.1fs %s: %s" % (at, name, exc))
                continue
            finally:
                latencies.append(time.time() - started)
                if first_call is None:
                    first_call = {"name": name, "at_seconds_after_kill": round(started - t_kill, 2),
                                  "latency_seconds": round(time.time() - started, 3)}
            if name in ("publish watched w2", "add 10.77.0.2"):
                done[name] = time.time()
            elif name == "publish counter":
                last_counter_ok = value
            if name == "list instances":
                hosts = [h for h in _hosts(result) if h[0] == "10.77.0.1"]
                if hosts != [("10.77.0.1", 8080, True)]:
                    unhealthy_samples += 1
                    unhealthy.append(round(started - t_kill, 1))
            elif expected is not None and result != expected:
                wrong.append("%.1fs %s: %r" % (started - t_kill, name, result))
        time.sleep(0.2)
    latencies.sort()
    failures = sum(e["count"] for e in errors.values())
    figures.update({
        "outage_seconds": round(time.time() - t_kill, 1), "calls_during_outage": calls,
        "user_visible_errors": failures, "errors_by_call": errors, "first_errors": first_errors,
        "writes_failing_until_seconds": max([errors[w]["last_s"] for w in WRITES if w in errors] or [0]),
        "wrong_results": wrong[:20], "first_call_after_kill": first_call,
        "instance_listed_unhealthy_at_seconds": unhealthy[:3] + unhealthy[-3:],
        "latency_p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "latency_max_ms": round(1000 * latencies[-1], 1),
        "slow_calls_over_1s": len([x for x in latencies if x > 1.0]),
        "first_instance_not_healthy_samples": unhealthy_samples,
        "one_shot_writes_done_seconds_after_kill": {k: round(v - t_kill, 2) for k, v in done.items()},
    })
    published_w2, added_second = done.get("publish watched w2"), done.get("add 10.77.0.2")
    watcher_ok = published_w2 is not None and watched_w2.wait(30.0)
    figures["watcher_delay_seconds"] = (round([t for t, c in seen if c == "w2"][0] - published_w2, 2)
                                        if watcher_ok else None)
    try:
        assert added_second, "10.77.0.2 was never registered"
        _wait(lambda: updates and ("10.77.0.2", 8080, True) in updates[-1][1], 30, "subscription sees 10.77.0.2")
        figures["subscription_delay_seconds"] = round(
            [t for t, h in updates if ("10.77.0.2", 8080, True) in h][0] - added_second, 2)
    except AssertionError:
        figures["subscription_delay_seconds"] = None
    final = _hosts(client.list_naming_instance(svc, group_name=group))
    figures["instances_at_end_of_outage"] = final
    figures["config_leader_after_kill"] = _config_leader(live)

    # ------------------------------------------------------------------ restart the node; it must catch up
    figures["restart_seconds"] = round(_script("restart-node", str(victim)), 1)
    t_back = time.time()
    expected = {"watched": (200, "w2"), "counter": (200, last_counter_ok)}
    figures["live_node_values"] = {k: _direct(live[0], "/v1/cs/configs", dataId=k, group=group)[1] for k in expected}
    for key, value in expected.items():
        _wait(lambda: _direct(victim, "/v1/cs/configs", dataId=key, group=group) == value, 60,
              "restarted node serves %s=%r written while it was down" % (key, value[1]))
    figures["config_catch_up_seconds"] = round(time.time() - t_back, 1)

    def instances_on_victim():
        status, text = _direct(victim, "/v1/ns/instance/list", serviceName=svc, groupName=group)
        return status == 200 and _hosts(json.loads(text)) == [("10.77.0.1", 8080, True), ("10.77.0.2", 8080, True)]
    _wait(instances_on_victim, 60, "restarted node lists both instances (Distro sync)")
    figures["naming_catch_up_seconds"] = round(time.time() - t_back, 1)

    # the client keeps working, also on the restarted node
    after_errors = []
    for _ in range(len(ports)):
        if client.current_server[1] == victim:
            break
        client.change_server()
    figures["client_on_restarted_node"] = client.current_server[1] == victim
    for i in range(20):
        try:
            assert client.publish_config("counter", group, "after%d" % i) is True
            assert client.get_config("cfg", group, no_snapshot=True) == "v1"
            assert len(client.list_naming_instance(svc, group_name=group)["hosts"]) == 2
        except Exception as exc:
            after_errors.append("after restart %d: %r" % (i, exc))
    client.publish_config("watched", group, "w3")
    _wait(lambda: seen[-1][1] == "w3", 40, "watcher gets a change after the restart")
    hosts = _hosts(client.list_naming_instance(svc, group_name=group))
    figures.update({"calls_after_restart": 60, "errors_after_restart": after_errors,
                    "instances_after_restart": hosts})

    # ------------------------------------------------------------------ verdicts (the figures are printed anyway)
    assert not wrong, "wrong results during the outage: %s" % wrong
    assert not [t for t in unhealthy if t > WRITE_WINDOW_LIMIT], "instance unhealthy late: %s" % unhealthy
    other = {k: v for k, v in errors.items() if k not in WRITES}
    assert not other, "user-visible errors during the outage (not config writes): %s %s" % (other, first_errors)
    late = {k: v for k, v in errors.items() if v["last_s"] > WRITE_WINDOW_LIMIT}
    assert not late, "writes still failing %.0f s after the kill: %s %s" % (WRITE_WINDOW_LIMIT, late, first_errors)
    assert watcher_ok, "the change published during the outage never reached the watcher: %r" % seen
    assert figures["subscription_delay_seconds"] is not None, "subscription never saw 10.77.0.2: %r" % updates[-3:]
    assert final == [("10.77.0.1", 8080, True), ("10.77.0.2", 8080, True)], final
    assert not after_errors, after_errors
    assert hosts == [("10.77.0.1", 8080, True), ("10.77.0.2", 8080, True)], hosts
    for port in ports:
        assert _direct(port, "/v1/ns/operator/metrics")[0] == 200
