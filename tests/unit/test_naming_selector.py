"""Selection helpers: filters and choices (fixed seeds, so the distribution checks are repeatable)."""
import random
from collections import Counter

import pytest

from nacos.naming import selector as S


def host(ip, weight=1.0, healthy=True, enabled=True, **metadata):
    return {"ip": ip, "port": 80, "weight": weight, "healthy": healthy, "enabled": enabled, "metadata": metadata}


def test_healthy_keeps_healthy_enabled_weighted_hosts_in_order():
    hosts = [host("a"), host("b", healthy=False), host("c", enabled=False), host("d", weight=0), host("e")]
    assert [h["ip"] for h in S.healthy(hosts)] == ["a", "e"]


def test_match_metadata():
    hosts = [host("a", zone="z1", v="1"), host("b", zone="z2"), host("c", zone="z1")]
    assert [h["ip"] for h in S.match_metadata(hosts, {"zone": "z1"})] == ["a", "c"]
    assert [h["ip"] for h in S.match_metadata(hosts, {"zone": "z1", "v": 1})] == ["a"]
    assert [h["ip"] for h in S.match_metadata(hosts, {"v": None})] == ["a"]
    assert [h["ip"] for h in S.match_metadata(hosts, {})] == ["a", "b", "c"]


def test_round_robin_walks_evenly_and_survives_list_changes():
    rr = S.RoundRobin()
    hosts = [host("a"), host("b"), host("c")]
    assert [rr.choose(hosts)["ip"] for _ in range(6)] == ["a", "b", "c", "a", "b", "c"]
    assert rr.choose(hosts[:2])["ip"] in ("a", "b")
    with pytest.raises(S.NoInstanceAvailable):
        rr.choose([])


def test_random_choice_is_roughly_uniform():
    rng = random.Random(7)
    hosts = [host("a"), host("b"), host("c")]
    counts = Counter(S.random_choice(hosts, rng)["ip"] for _ in range(3000))
    assert all(900 < counts[ip] < 1100 for ip in "abc")
    with pytest.raises(S.NoInstanceAvailable):
        S.random_choice([])


def test_weighted_random_follows_weights_and_skips_zero():
    rng = random.Random(42)
    hosts = [host("a", weight=1), host("b", weight=3), host("z", weight=0)]
    counts = Counter(S.weighted_random(hosts, rng)["ip"] for _ in range(4000))
    assert counts["z"] == 0
    assert 0.2 < counts["a"] / 4000.0 < 0.3 and 0.7 < counts["b"] / 4000.0 < 0.8
    with pytest.raises(S.NoInstanceAvailable):
        S.weighted_random([host("z", weight=0)])
