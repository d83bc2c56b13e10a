"""One get_config call per mode, shared by ``get_config.py`` and ``cpu_per_call.py`` (standard library only at
import: the legacy client's interpreter runs it too).

MODE: ``ours`` (this SDK), ``ours-nofiles`` (``failover_base=None, snapshot_base=None``), ``ours-nometrics``
(``metrics_enabled=False``), ``legacy`` (nacos-sdk-python, run with its own interpreter), ``raw`` (a keep-alive
requests.Session loop on the same URL: the baseline; one session per thread).
"""
import os
import tempfile
import time

DATA_ID, GROUP = "bench-get", "BENCH"


def make_call(mode, address, n_threads=1):
    """Publish the benchmark config and return ``call(i)``: one get_config on thread ``i``. Changes the working
    directory to a new temporary one (both clients write their default snapshot directory there)."""
    os.chdir(tempfile.mkdtemp(prefix="nacos-bench-"))
    if mode == "raw":
        import requests
        url = "http://%s/nacos/v1/cs/configs" % address
        sessions = [requests.Session() for _ in range(n_threads)]
        requests.post(url, data={"dataId": DATA_ID, "group": GROUP, "content": "value: 1\n" * 20})
        for _ in range(100):  # a real Nacos makes a write visible a little later
            if requests.get(url, params={"dataId": DATA_ID, "group": GROUP}, timeout=3).status_code == 200:
                break
            time.sleep(0.05)

        def call(i):
            r = sessions[i].get(url, params={"dataId": DATA_ID, "group": GROUP}, timeout=3)
            r.raise_for_status()
            return r.text
        return call
    import nacos
    if mode == "ours-nofiles":
        client = nacos.NacosClient(address, namespace="", failover_base=None, snapshot_base=None)
    elif mode == "ours-nometrics":  # the cost of client.metrics(): the same client recording nothing
        client = nacos.NacosClient(address, namespace="", metrics_enabled=False)
    else:
        client = nacos.NacosClient(address, namespace="")
    client.publish_config(DATA_ID, GROUP, "value: 1\n" * 20)
    for _ in range(100):  # a real Nacos makes a write visible a little later
        if client.get_config(DATA_ID, GROUP):
            break
        time.sleep(0.05)

    def call(i):
        content = client.get_config(DATA_ID, GROUP)
        assert content
        return content
    return call
