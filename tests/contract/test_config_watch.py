# -*- coding: utf-8 -*-
"""Config watchers: callbacks on add/change/delete, add/remove while a poll is held, the callback pool,
stop(), failover files driving watchers, 10,000 keys. Runs against the embedded server or a real Nacos.

The session server holds a poll >= 10 s (a real server too, with the default 30 s pulling timeout it holds
29.5 s), so a callback that arrives within a few seconds of an add proves the add did not wait for the hold.
"""
import os
import threading

import pytest

from nacos.compat import monotonic
from nacos.exception import NacosException
from support.wait import settles

WAIT = 8.0  # < the 10 s minimum hold of every server


class Recorder(object):
    """A callback that records the legacy params dicts and lets a test wait for them."""

    def __init__(self, action=None):
        self.calls = []
        self.cond = threading.Condition()
        self.action = action

    def __call__(self, params):
        if self.action is not None:
            self.action(params)
        with self.cond:
            self.calls.append(dict(params))
            self.cond.notify_all()

    @property
    def contents(self):
        with self.cond:
            return [c["content"] for c in self.calls]

    def wait_for(self, predicate, timeout=WAIT):
        deadline = monotonic() + timeout
        with self.cond:
            while not predicate(self.calls):
                left = deadline - monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def wait_content(self, content, timeout=WAIT):
        return self.wait_for(lambda calls: calls and calls[-1]["content"] == content, timeout)


def config_threads():
    return [t for t in threading.enumerate() if t.name.startswith("nacos-config-")]


def settle(client, group):
    """Wait until the pollers have answered for every key added so far: a sentinel key that sorts last
    is published and watched; once its callback arrives, the poll that included the other keys answered and
    their callbacks are queued. A short extra wait lets queued callbacks of other keys run."""
    client.publish_config("zzz-sentinel", group, "s")
    rec = Recorder()
    client.add_config_watcher("zzz-sentinel", group, rec)
    assert rec.wait_content("s")
    threading.Event().wait(0.3)


# ------------------------------------------------------------------------------------------ add
def test_existing_config_calls_back_once_on_add(client, group, namespace):
    client.publish_config("a1", group, u"v1 ü")
    rec = Recorder()
    client.add_config_watcher("a1", group, rec)
    assert rec.wait_content(u"v1 ü")
    settle(client, group)
    assert rec.calls == [{"data_id": "a1", "group": group, "namespace": namespace, "raw_content": u"v1 ü",
                          "content": u"v1 ü"}]


def test_absent_config_does_not_call_back_until_created(client, group):
    rec = Recorder()
    client.add_config_watcher("a2", group, rec)
    settle(client, group)
    assert rec.calls == []
    client.publish_config("a2", group, "born")
    assert rec.wait_content("born")


def test_content_sets_the_baseline(client, group):
    client.publish_config("a3", group, "same")
    client.publish_config("a4", group, "server")
    assert settles(lambda: (client.get_config("a3", group), client.get_config("a4", group)), ("same", "server"))
    same, differs, absent = Recorder(), Recorder(), Recorder()
    client.add_config_watcher("a3", group, same, content="same")
    client.add_config_watcher("a4", group, differs, content="stale")
    client.add_config_watcher("a5", group, absent, content="ghost")
    assert differs.wait_content("server")
    assert absent.wait_for(lambda calls: len(calls) == 1)
    assert absent.contents == [None]  # the server does not have what the caller thought it had
    settle(client, group)
    assert same.calls == []
    assert differs.contents == ["server"]


def test_change_and_delete_call_back_with_the_legacy_dict(client, group, namespace):
    rec = Recorder()
    client.add_config_watcher("c1", group, rec)
    client.publish_config("c1", group, "one")
    assert rec.wait_content("one")
    client.publish_config("c1", group, "two")
    assert rec.wait_content("two")
    client.remove_config("c1", group)
    assert rec.wait_content(None)
    assert rec.calls[-1] == {"data_id": "c1", "group": group, "namespace": namespace, "raw_content": None,
                             "content": None}
    assert rec.contents == ["one", "two", None]


def test_blank_group_watches_default_group(client):
    rec = Recorder()
    client.add_config_watcher("dg-watch", None, rec)
    try:
        client.publish_config("dg-watch", "DEFAULT_GROUP", "x")
        assert rec.wait_content("x")
        assert rec.calls[-1]["group"] == "DEFAULT_GROUP"
    finally:
        client.remove_config("dg-watch", None)


def test_several_callbacks_and_a_late_one(client, group):
    first, second, late = Recorder(), Recorder(), Recorder()
    client.add_config_watchers("m1", group, [first, second])
    client.publish_config("m1", group, "v1")
    assert first.wait_content("v1") and second.wait_content("v1")
    client.add_config_watcher("m1", group, late)  # a key already watched: called once with what it is now
    assert late.wait_content("v1")
    client.publish_config("m1", group, "v2")
    for rec in (first, second, late):
        assert rec.wait_content("v2")
    assert late.contents == ["v1", "v2"]


def test_argument_errors(client, group):
    with pytest.raises(NacosException) as info:
        client.add_config_watchers("e1", group, [])
    assert str(info.value) == "A callback function is needed."
    with pytest.raises(NacosException):
        client.add_config_watcher("e1", group, "not callable")
    with pytest.raises(NacosException):
        client.remove_config_watcher("e1", group, None)
    with pytest.raises(NacosException):
        client.add_config_watcher("bad id", group, Recorder())


# ------------------------------------------------------------------------------------------ remove
def test_remove_first_or_all_equal_callbacks(client, group):
    rec, other = Recorder(), Recorder()
    client.add_config_watchers("r1", group, [rec, rec, other])
    client.publish_config("r1", group, "v1")
    assert other.wait_content("v1") and rec.wait_for(lambda calls: len(calls) == 2)
    client.remove_config_watcher("r1", group, rec)
    client.publish_config("r1", group, "v2")
    assert other.wait_content("v2") and rec.wait_content("v2")
    assert rec.contents == ["v1", "v1", "v2"]
    client.remove_config_watcher("r1", group, rec, remove_all=True)
    client.remove_config_watcher("r1", group, rec)  # nothing left to remove: no error
    client.remove_config_watcher("never", group, rec)
    client.publish_config("r1", group, "v3")
    assert other.wait_content("v3")
    settle(client, group)
    assert rec.contents == ["v1", "v1", "v2"]


def test_a_key_removed_and_added_again_is_polled_again(client, group):
    """The legacy client never polled such a key again while its puller held other keys."""
    keep, rec = Recorder(), Recorder()
    client.add_config_watcher("other", group, keep)
    client.add_config_watcher("again", group, rec)
    client.publish_config("again", group, "v1")
    assert rec.wait_content("v1")
    client.remove_config_watcher("again", group, rec)
    client.publish_config("again", group, "v2")
    rec2 = Recorder()
    client.add_config_watcher("again", group, rec2)
    assert rec2.wait_content("v2")
    client.publish_config("again", group, "v3")
    assert rec2.wait_content("v3")
    assert rec.contents == ["v1"]


def test_add_during_a_held_poll_takes_effect_at_once(client, group):
    first = Recorder()
    client.publish_config("h1", group, "one")
    client.add_config_watcher("h1", group, first)
    assert first.wait_content("one")
    threading.Event().wait(0.5)  # the poll for h1 is now held by the server (>= 10 s)
    client.publish_config("h2", group, "two")
    started = monotonic()
    second = Recorder()
    client.add_config_watcher("h2", group, second)
    assert second.wait_content("two", timeout=WAIT)
    assert monotonic() - started < WAIT


@pytest.mark.embedded_only
def test_remove_during_a_held_poll_repolls_without_the_key(embedded_server, make_client, group):
    c = make_client(server=embedded_server)
    keep, gone = Recorder(), Recorder()
    c.publish_config("keep", group, "k")
    c.add_config_watcher("keep", group, keep)
    c.add_config_watcher("gone", group, gone)
    assert keep.wait_content("k")
    threading.Event().wait(0.3)
    embedded_server.clear_log()
    c.remove_config_watcher("gone", group, gone)
    # the held poll is cut and a new one, without "gone", is held (logged when it ends: end it by a change)
    c.publish_config("keep", group, "k2")
    assert keep.wait_content("k2")
    # polls logged so far have ended; a held poll without "gone" could only end by the k2 change, so it
    # was started before the publish, i.e. at once after the remove
    polls = [r["form"]["Listening-Configs"] for r in embedded_server.request_log
             if r["path"].endswith("/cs/configs/listener") and r["status"] == 200]
    assert [p for p in polls if "gone\x02" not in p and "keep\x02" in p], polls


# ------------------------------------------------------------------------------------------ callbacks
def test_a_raising_callback_stops_nothing(client, group, caplog):
    def boom(params):
        raise ValueError("callback bug")

    after = Recorder()
    client.add_config_watchers("x1", group, [boom, after])
    client.publish_config("x1", group, "content-one")
    assert after.wait_content("content-one")
    client.publish_config("x1", group, "content-two")
    assert after.wait_content("content-two")
    assert any("raised" in r.getMessage() for r in caplog.records)
    # config content never appears in a log line above DEBUG
    assert all("content-one" not in r.getMessage() for r in caplog.records if r.levelname != "DEBUG")


def test_a_slow_callback_delays_neither_polling_nor_other_keys(client, group):
    release = threading.Event()
    slow = Recorder(action=lambda params: release.wait(30))
    fast = Recorder()
    client.add_config_watcher("slow", group, slow)
    client.add_config_watcher("fast", group, fast)
    try:
        client.publish_config("slow", group, "s1")
        client.publish_config("slow", group, "s2")  # queued behind s1 for the same key
        for n in range(3):
            client.publish_config("fast", group, "f%d" % n)
            assert fast.wait_content("f%d" % n)
        assert slow.calls == []
    finally:
        release.set()
    assert slow.wait_for(lambda calls: calls and calls[-1]["content"] == "s2")
    assert slow.contents[0] in ("s1", "s2")


def test_one_keys_callbacks_run_in_order_never_at_once(client, group):
    active, overlaps = [0], []
    lock = threading.Lock()

    def body(params):
        with lock:
            active[0] += 1
            if active[0] > 1:
                overlaps.append(params["content"])
        threading.Event().wait(0.02)
        with lock:
            active[0] -= 1

    rec = Recorder(action=body)
    rec2 = Recorder(action=body)
    client.add_config_watchers("ord", group, [rec, rec2])
    for n in range(10):
        client.publish_config("ord", group, "v%d" % n)
    assert rec.wait_content("v9") and rec2.wait_content("v9")
    assert overlaps == []
    order = [int(c[1:]) for c in rec.contents]
    assert order == sorted(order) and rec.contents == rec2.contents


# ------------------------------------------------------------------------------------------ failover
def test_failover_file_created_changed_removed_drives_watchers(client, group, namespace, tmpdir):
    """Failover files are checked once per poll cycle; a change to another watched key ends the held
    poll, so the test does not wait for the hold."""
    path = os.path.join(str(tmpdir.join("failover")), "fk+%s+%s" % (group, namespace))
    client.publish_config("fk", group, "server-1")
    rec, nudge = Recorder(), Recorder()
    client.add_config_watcher("fk", group, rec)
    client.add_config_watcher("nudge", group, nudge)
    assert rec.wait_content("server-1")

    def cycle(n):
        client.publish_config("nudge", group, "n%d" % n)
        assert nudge.wait_content("n%d" % n)

    tmpdir.join("failover").ensure(dir=True)
    tmpdir.join("failover").join(os.path.basename(path)).write("local-1")
    cycle(1)
    assert rec.wait_content("local-1")
    tmpdir.join("failover").join(os.path.basename(path)).write("local-2 longer")
    cycle(2)
    assert rec.wait_content("local-2 longer")
    client.publish_config("fk", group, "server-2")  # not seen while the failover file exists
    cycle(3)
    assert client.get_config("fk", group) == "local-2 longer"
    os.remove(path)
    cycle(4)
    assert rec.wait_content("server-2")
    assert rec.contents == ["server-1", "local-1", "local-2 longer", "server-2"]


def test_failover_file_present_at_add(client, group, namespace, tmpdir):
    tmpdir.join("failover").ensure(dir=True).join("fa+%s+%s" % (group, namespace)).write("local only")
    rec = Recorder()
    client.add_config_watcher("fa", group, rec)
    assert rec.wait_content("local only")


# ------------------------------------------------------------------------------------------ lifecycle
def test_stop_during_a_held_poll_returns_at_once(make_client, group):
    c = make_client()
    rec = Recorder()
    c.publish_config("st", group, "v")
    c.add_config_watcher("st", group, rec)
    assert rec.wait_content("v")
    threading.Event().wait(0.5)  # held now
    ours = [t for t in config_threads() if t.is_alive()]
    assert any(t.name.startswith("nacos-config-poller-") for t in ours)
    started = monotonic()
    c.stop()
    assert monotonic() - started < 3.0  # the hold is >= 10 s
    assert [t.name for t in ours if t.is_alive()] == []
    c.stop()  # idempotent


def test_a_stopped_client_can_watch_again(make_client, group):
    c = make_client()
    c.add_config_watcher("again-after-stop", group, Recorder())
    c.stop()
    rec = Recorder()
    c.add_config_watcher("again-after-stop", group, rec)
    c.publish_config("again-after-stop", group, "alive")
    assert rec.wait_content("alive")


def test_ten_thousand_keys_four_pollers_few_threads(make_client, group):
    c = make_client()
    before = set(config_threads())
    rec = Recorder()
    started = monotonic()
    for n in range(10000):
        c.add_config_watcher("k%05d" % n, group, rec)
    add_time = monotonic() - started
    settle(c, group)
    c.publish_config("k05000", group, "hit")
    assert rec.wait_content("hit")
    ours = [t for t in config_threads() if t not in before and t.is_alive()]
    pollers = [t for t in ours if t.name.startswith("nacos-config-poller-")]
    assert len(pollers) == 4  # pulling_config_size 3000 (the sentinel key makes 10,001)
    assert len(ours) <= 6, [t.name for t in ours]
    assert rec.contents == ["hit"]
    print("10,000 adds took %.2fs; threads: %s" % (add_time, sorted(t.name for t in ours)))
