"""A small typed program; CI runs mypy on it against the package's stubs (Python 3)."""
from typing import Dict, Optional

import nacos
from nacos.exception import NacosException, NacosInvalidParam


def read_setting(client: nacos.NacosClient, data_id: str) -> Optional[str]:
    try:
        return client.get_config(data_id, "DEFAULT_GROUP", timeout=2.0)
    except NacosInvalidParam as exc:
        print("bad argument %s" % exc.argument)
        return None
    except NacosException as exc:
        print("nacos failed with HTTP %s" % exc.status)
        raise


def healthy_hosts(client: nacos.NacosClient, service: str) -> Dict[str, int]:
    info = client.list_naming_instance(service, healthy_only=True)
    return {str(h["ip"]): int(h["port"]) for h in info["hosts"]}


def legacy_hooks(client: nacos.NacosClient) -> int:
    """Legacy attributes and hooks (nacos-sdk-python code and tests use them)."""
    headers: Dict[str, str] = {}
    nacos.NacosClient._inject_version_info(headers)
    client.current_server = ("127.0.0.1", 8848)
    client.notify_queue.put(("typed+DEFAULT_GROUP+", "x", "md5"))
    watchers = len(client.watcher_mapping)
    return watchers + client.unsubscribe("svc", listener_fn=print)


def main() -> None:
    with nacos.NacosClient("127.0.0.1:8848", namespace="", default_timeout=2) as client:
        client.set_options(pulling_timeout=30)
        ok: bool = client.publish_config("typed", "DEFAULT_GROUP", "x")
        print(ok, read_setting(client, "typed"), healthy_hosts(client, "svc"), client.current_server,
              legacy_hooks(client))


if __name__ == "__main__":
    main()


def services(client: nacos.NacosClient) -> bool:
    """The two services the client is composed of, and a per-call retry policy."""
    from nacos.policy import NOT_IDEMPOTENT, Timeout
    content: Optional[str] = client.config.get_config("typed", "DEFAULT_GROUP")
    hosts = client.naming.list_naming_instance("typed")["hosts"]
    assert not NOT_IDEMPOTENT.idempotent and Timeout(total=5.0).total == 5.0
    return content is not None and bool(hosts)


def live_settings(client: nacos.NacosClient) -> int:
    """Typed reads and live settings (nacos.settings)."""
    from nacos.settings import Change, LiveSettings, parse

    settings = LiveSettings(client, [("shared.properties", "DEFAULT_GROUP"), "app.yaml"], prefix="app",
                            frozen=True)

    @settings.on_change
    def changed(change: Change) -> None:
        print(sorted(change.added), sorted(change.modified), sorted(change.removed))

    port = int(settings.get("server.port", 8080))
    value = parse("a: 1\n", "yaml", "inline.yaml", "DEFAULT_GROUP")
    return port + len(value) + len(settings.section("db"))
