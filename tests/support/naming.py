"""Helpers shared by the naming contract tests."""
import threading
import time


def wait_until(predicate, timeout=10.0, step=0.05):
    """Poll ``predicate`` until it is truthy (returned) or ``timeout`` passes (returns the last value)."""
    deadline = time.time() + timeout
    value = predicate()
    while not value and time.time() < deadline:
        time.sleep(step)
        value = predicate()
    return value


def hosts(client, service, **kwargs):
    return client.list_naming_instance(service, **kwargs)["hosts"]


def healthy_ips(client, service, **kwargs):
    return sorted(h["ip"] for h in hosts(client, service, **kwargs) if h["healthy"])


def naming_threads():
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("nacos-naming"))


def requests_to(server, path, method=None, since=0):
    return [r for r in server.request_log[since:] if r["path"].endswith(path) and
            (method is None or r["method"] == method)]
