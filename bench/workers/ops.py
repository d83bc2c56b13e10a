"""One client call per mode for the CPU-per-call worker (standard library only at import: the legacy client's
interpreter runs it too).

``make_op(op, mode, address)`` returns ``(call, close)``; ``call(i)`` makes one call. OP:

* ``get``: get_config of one 160-byte config (``getter.py``);
* ``publish``: publish_config of that config, the same content each time;
* ``beat``: one heartbeat with the full beat body (``send_heartbeat``; ``PUT /v1/ns/instance/beat``) for an
  ephemeral instance registered over a plain connection first;
* ``adapter``: ``nacos_requests.get("http://<service>/ping")`` to a keep-alive backend in another process,
  registered as the only instance of the service (MODE ``ours``); ``raw`` calls ``http://127.0.0.1:<port>/ping``
  directly on one ``requests.Session``. The legacy client has no adapter.

MODE ``ours`` (this SDK), ``legacy`` (nacos-sdk-python), ``raw`` (one keep-alive ``requests.Session`` sending the
same request the SDK sends: the limit for a client built on requests).
"""
import json
import os
import subprocess
import sys
import time
import uuid

from common import Raw
from getter import DATA_ID, GROUP, make_call

CONTENT = "value: 1\n" * 20


def make_op(op, mode, address):
    if op == "get":
        return make_call(mode, address), _nothing
    service = "bench-cpu-%s-%s-%s" % (op, mode, uuid.uuid4().hex[:8])
    if op == "adapter":
        return _adapter(mode, address, service)
    if mode == "raw":
        import requests
        session = requests.Session()
        base = "http://%s/nacos/v1" % address
    else:
        import nacos
        client = nacos.NacosClient(address, namespace="")
    if op == "publish":
        if mode == "raw":
            def call(i):
                r = session.post(base + "/cs/configs", data={"dataId": DATA_ID, "group": GROUP, "content": CONTENT},
                                 timeout=3)
                r.raise_for_status()
        else:
            def call(i):
                assert client.publish_config(DATA_ID, GROUP, CONTENT)
        return call, _nothing
    if op == "beat":
        Raw(address).register(service, "127.0.0.1", 20000)
        if mode == "raw":
            beat = json.dumps({"serviceName": "DEFAULT_GROUP@@" + service, "ip": "127.0.0.1", "port": 20000,
                               "cluster": "DEFAULT", "weight": 1.0, "metadata": {}, "ephemeral": True,
                               "scheduled": False, "period": 5000, "stopped": False})
            params = {"serviceName": "DEFAULT_GROUP@@" + service, "groupName": "DEFAULT_GROUP", "ip": "127.0.0.1",
                      "port": "20000", "clusterName": "DEFAULT", "beat": beat}

            def call(i):
                r = session.put(base + "/ns/instance/beat", params=params, timeout=3)
                r.raise_for_status()
                return r.json()
        else:
            def call(i):
                return client.send_heartbeat(service, "127.0.0.1", 20000)
        return call, _nothing
    raise SystemExit("ops: unknown op %r" % op)


def _nothing():
    pass


def _adapter(mode, address, service):
    backend = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "backend.py")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(backend.stdout.readline())

    def close():
        backend.stdin.close()
        backend.wait()
    if mode == "raw":
        import requests
        session = requests.Session()
        url = "http://127.0.0.1:%d/ping" % port

        def call(i):
            return session.get(url).content
        return call, close
    if mode != "ours":
        raise SystemExit("ops: the legacy client has no discovery adapter")
    import nacos
    from nacos.auto.discovery import configure
    from nacos.auto.discovery.ext import requests as nacos_requests
    registrar = nacos.NacosClient(address, namespace="", naming_cache_dir=None)
    registrar.add_naming_instance(service, "127.0.0.1", port)
    discovery = configure(load=False, server=address, client_options={"naming_cache_dir": None})
    url = "http://%s/ping" % service
    deadline = time.time() + 30
    while discovery.start(url, "GET") is None:  # a real Nacos shows a new instance a little later
        if time.time() > deadline:
            raise SystemExit("ops: %s did not resolve" % service)
        time.sleep(0.2)

    def call(i):
        return nacos_requests.get(url).content

    def close_all():
        discovery.close()
        registrar.stop()
        close()
    return call, close_all
