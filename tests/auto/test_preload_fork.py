"""gunicorn --preload with 2 workers: a client made before the fork gives each worker its own working
watchers, heartbeats and subscriptions (the legacy client silently stopped in the children)."""
import os
import sys
import time

import pytest
import requests

from auto_support import App, free_port, hosts, need, wait

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


def test_preload_two_workers_each_keep_working(nacos):
    need("gunicorn")
    script = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    if not os.path.exists(script):
        pytest.skip("gunicorn is not installed")
    port = free_port()
    service = "preload-%d" % port
    env = {"NACOS_SERVER_ADDR": nacos.address, "PRELOAD_SERVICE": service}
    app = App([script, "--preload", "-w", "2", "-b", "127.0.0.1:%d" % port, "preload_app:app"], env=env)
    try:
        url = "http://127.0.0.1:%d/" % port

        def states():
            seen = {}
            for _ in range(200):  # the kernel may favour one worker: ask until both answered
                try:
                    s = requests.get(url, timeout=2).json()
                except requests.RequestException:
                    return {}
                seen[s["pid"]] = s
                if len(seen) == 2:
                    break
            return seen if len(seen) == 2 else {}

        first = wait(states, 20, "two workers did not answer:\n" + app.output())
        requests.post("http://%s/nacos/v1/cs/configs" % nacos.address,
                      data={"dataId": "preload", "group": "DEFAULT_GROUP", "content": "v-after-fork"})
        requests.post("http://%s/nacos/v1/ns/instance" % nacos.address,
                      params={"serviceName": service + "-watched", "ip": "10.8.8.8", "port": "88",
                              "ephemeral": "false"})

        def both_updated():
            seen = states()
            return len(seen) == 2 and all("v-after-fork" in s["contents"] and s["hosts"] == ["10.8.8.8:88"]
                                          for s in seen.values())

        wait(both_updated, 20, "a worker's watcher or subscription is not working:\n%s" % states())
        both = wait(states, 20, "two workers did not answer")
        for s in both.values():
            assert "nacos-scheduler" in s["threads"]
        assert set(first) == set(both)  # the same two workers
        # heartbeats from the workers keep the instance alive past the server's delete timeout
        wait(lambda: hosts(nacos, service), 5, "instance not registered")
        time.sleep(5)  # longer than the server's delete timeout (4 s)
        assert [h["healthy"] for h in hosts(nacos, service)] == [True]
    finally:
        app.terminate()
        app.wait_exit()
        app.close()
