# -*- coding: utf-8 -*-
"""LiveSettings (nacos.settings) on a server: typed sources, merge precedence, live refresh, a bad publish
keeping the last good values, frozen mode, an outage served from the snapshot. Runs against the embedded
server (both dialects) or a real Nacos (NACOS_SERVER_ADDR)."""
import logging
import threading

import pytest

from nacos.compat import monotonic
from nacos.exception import NacosConfigParseError, NacosInvalidParam, NacosNotFound
from nacos.settings import LiveSettings, Source
from support.wait import settles, wait_for

WAIT = 8.0  # a change reaches the watchers at once on v1 (long poll), within ~1 s on v3 (md5 polling)


class Changes(object):
    def __init__(self, settings):
        self.seen = []
        self.cond = threading.Condition()
        settings.on_change(self)

    def __call__(self, change):
        with self.cond:
            self.seen.append(change)
            self.cond.notify_all()

    def wait(self, count=1, timeout=WAIT):
        deadline = monotonic() + timeout
        with self.cond:
            while len(self.seen) < count:
                left = deadline - monotonic()
                if left <= 0:
                    raise AssertionError("%d change(s) seen, %d expected" % (len(self.seen), count))
                self.cond.wait(left)
            return self.seen[count - 1]


def put(client, data_id, group, content, config_type=None):
    """Publish and wait until a read shows it (real servers apply writes asynchronously)."""
    assert client.publish_config(data_id, group, content, config_type=config_type)
    settles(lambda: client.get_config(data_id, group), content)


def test_every_format_merged_in_order_with_prefix(client, group):
    put(client, "shared.properties", group, "app.db.host=shared\napp.db.port=5432\napp.name=shared\n")
    put(client, "ext.yaml", group, "app:\n  db:\n    host: ext\n  tags: [a, b]\n")
    put(client, "app.json", group, '{"app": {"name": "json", "debug": true}}')
    put(client, "motd", group, "hello", config_type="text")
    put(client, "typed-by-server", group, "app:\n  level: 3\n", config_type="yaml")  # no extension
    live = LiveSettings(client, [("shared.properties", group), ("ext.yaml", group), Source("app.json", group),
                                 {"data_id": "motd", "group": group, "key": "app.motd"},
                                 "typed-by-server:" + group], frozen=True)
    assert live.snapshot() == {"app.db.host": "ext", "app.db.port": "5432", "app.name": "json", "app.debug": True,
                               "app.tags": ["a", "b"], "app.motd": "hello", "app.level": 3}
    assert live.as_dict()["app"]["db"] == {"host": "ext", "port": "5432"}
    assert live.section("app.db") == {"host": "ext", "port": "5432"}
    scoped = LiveSettings(client, [("shared.properties", group), ("ext.yaml", group)], prefix="app.db",
                          frozen=True)
    assert dict(scoped) == {"host": "ext", "port": "5432"} and scoped["host"] == "ext"


def test_required_and_optional_sources(client, group):
    with pytest.raises(NacosNotFound):
        LiveSettings(client, [("missing.yaml", group)])
    with pytest.raises(NacosInvalidParam):
        LiveSettings(client, [("a.yaml", group), ("a.yaml", group)])
    put(client, "base.yaml", group, "a: 1\n")
    live = LiveSettings(client, [("base.yaml", group), Source("later.yaml", group, required=False)])
    try:
        changes = Changes(live)
        assert dict(live) == {"a": 1}
        client.publish_config("later.yaml", group, "a: 2\nb: 3\n")  # an optional source appearing overrides
        change = changes.wait()
        assert change.modified == {"a": (1, 2)} and change.added == {"b": 3}
        assert change.source == ("later.yaml", group)
        assert dict(live) == {"a": 2, "b": 3}
        client.remove_config("later.yaml", group)  # and its deletion takes its keys away again
        change = changes.wait(2)
        assert change.modified == {"a": (2, 1)} and change.removed == {"b": 3}
    finally:
        live.close()


def test_a_bad_publish_is_logged_and_the_last_good_values_stay(client, group, caplog):
    put(client, "live.yaml", group, "feature: off\nlimit: 10\n")
    live = LiveSettings(client, [("live.yaml", group)])
    try:
        changes = Changes(live)
        broken = []
        live.on_change(lambda change: broken.append(1 / 0))  # a raising callback is logged, not fatal
        started = monotonic()
        client.publish_config("live.yaml", group, "feature: on\nlimit: 20\n")
        assert changes.wait().modified == {"feature": (False, True), "limit": (10, 20)}
        logging.getLogger(__name__).info("publish -> settings: %.3f s", monotonic() - started)
        with caplog.at_level(logging.ERROR, logger="nacos.settings.live"):
            client.publish_config("live.yaml", group, "feature: on\nlimit: [20\n")
            error = wait_for(lambda: live.errors.get(("live.yaml", group)), timeout=WAIT)
        assert isinstance(error, NacosConfigParseError) and error.line == 3 and error.config_type == "yaml"
        assert dict(live) == {"feature": True, "limit": 20} and len(changes.seen) == 1
        assert "live.yaml" in caplog.text and "keeping the last good values" in caplog.text
        assert "limit: [20" not in caplog.text  # never the content above DEBUG
        client.publish_config("live.yaml", group, "feature: on\nlimit: 30\n")
        assert changes.wait(2).modified == {"limit": (20, 30)}
        assert live.errors == {} and live.version == 2
    finally:
        live.close()


def test_frozen_settings_never_refresh(client, group):
    put(client, "frozen.yaml", group, "a: 1\n")
    frozen = LiveSettings(client, [("frozen.yaml", group)], frozen=True)
    live = LiveSettings(client, [("frozen.yaml", group)])
    try:
        changes = Changes(live)
        client.publish_config("frozen.yaml", group, "a: 2\n")
        changes.wait()
        assert frozen["a"] == 1 and live["a"] == 2
        live.freeze()
        client.publish_config("frozen.yaml", group, "a: 3\n")
        settles(lambda: client.get_config("frozen.yaml", group), "a: 3\n")
        threading.Event().wait(0.5)
        assert live["a"] == 2 and len(changes.seen) == 1
    finally:
        live.close()


@pytest.mark.embedded_only
def test_an_outage_is_served_from_the_snapshot(embedded_server, make_client, group):
    first = make_client(server=embedded_server)
    put(first, "svc.yaml", group, "db: {host: h1}\n")
    LiveSettings(first, [("svc.yaml", group)], frozen=True)  # writes the snapshot
    embedded_server.stop()
    try:
        later = make_client(server=embedded_server)  # same snapshot dir (the test's tmpdir)
        live = LiveSettings(later, [("svc.yaml", group)])
        changes = Changes(live)
        assert live["db.host"] == "h1"
    finally:
        embedded_server.start()
    embedded_server.configs.publish((later.namespace, group, "svc.yaml"), "db: {host: h2}\n")
    assert changes.wait(timeout=15.0).modified == {"db.host": ("h1", "h2")}
    live.close()
