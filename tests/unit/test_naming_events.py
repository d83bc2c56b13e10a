"""Diffing service lists into listener calls; empty protection; the disk cache."""
import json

from nacos.listener import SubscribeListener
from nacos.naming.cache import DiskCache, has_usable_host, only_healthy, protected
from nacos.naming.events import InstanceListener, ServiceListener, diff_hosts


def host(ip, weight=1.0, healthy=True):
    return {"instanceId": "%s#80#DEFAULT#G@@s" % ip, "ip": ip, "port": 80, "weight": weight, "healthy": healthy}


def info(*hosts):
    return {"name": "G@@s", "groupName": "G", "clusters": "", "hosts": list(hosts), "lastRefTime": 1}


def test_diff_hosts():
    view, added, modified, removed = diff_hosts({}, [host("a"), host("b")])
    assert [h["ip"] for h in added] == ["a", "b"] and modified == [] and removed == []
    view, added, modified, removed = diff_hosts(view, [host("a", weight=2), host("c")])
    assert [h["ip"] for h in added] == ["c"]
    assert [h["ip"] for h in modified] == ["a"]
    assert [h["ip"] for h in removed] == ["b"]


def test_legacy_listener_gets_every_instance_of_the_first_update():
    calls = []
    handle = InstanceListener(SubscribeListener(lambda e, i: calls.append((e, i.instance["ip"], i.key)), "n"), "s")
    handle.update(info(host("a"), host("b"), host("c")))
    assert calls == [("ADDED", "a", "s"), ("ADDED", "b", "s"), ("ADDED", "c", "s")]
    del calls[:]
    handle.update(info(host("a"), host("b", healthy=False)))
    assert calls == [("MODIFIED", "b", "s"), ("DELETED", "c", "s")]


def test_healthy_only_listener_sees_unhealthy_as_deleted():
    calls = []
    handle = InstanceListener(lambda e, i: calls.append((e, i.instance_id[:1])), "s", healthy_only=True)
    handle.update(info(host("a"), host("b")))
    handle.update(info(host("a"), host("b", healthy=False)))
    assert calls[-1] == ("DELETED", "b")


def test_raising_listeners_are_contained():
    calls = []

    def broken(event):
        raise ValueError("bug")
    ServiceListener(broken).update(info(host("a")))
    good = ServiceListener(lambda event: calls.append(event))
    good.update(info(host("a")))
    good.update(info(host("a")))  # no change, no call
    assert len(calls) == 1 and calls[0]["added"][0]["ip"] == "a" and calls[0]["name"] == "G@@s"


def test_empty_protection_rules():
    known = info(host("a"))
    assert protected(known, info())
    assert protected(known, info(host("a", healthy=False)))
    assert protected(known, info(host("a", weight=0)))
    assert not protected(known, info(host("b")))
    assert not protected(None, info())
    assert not protected(info(), info())
    assert has_usable_host(dict(info(host("a", healthy=False)), allIPs=True))
    assert only_healthy(info(host("a"), host("b", healthy=False)))["hosts"] == [host("a")]


def test_disk_cache_round_trip_per_namespace(tmpdir):
    options = {"naming_cache_dir": str(tmpdir)}
    cache = DiskCache(options)
    cache.write("ns1", info(host("a")))
    assert cache.read("ns1", "G@@s", "")["hosts"] == [host("a")]
    assert cache.read("ns2", "G@@s", "") is None
    assert tmpdir.join("ns1").join("G@@s").check()
    cache.write("", dict(info(host("b")), clusters="c1"))
    assert json.loads(tmpdir.join("public").join("G@@s@@c1").read())["hosts"][0]["ip"] == "b"
    tmpdir.join("ns1").join("G@@s").write("{broken")
    assert cache.read("ns1", "G@@s", "") is None
    options["naming_cache_dir"] = None
    cache.write("ns3", info(host("a")))
    assert cache.read("ns3", "G@@s", "") is None and not tmpdir.join("ns3").check()
