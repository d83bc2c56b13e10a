"""A WSGI app that creates its NacosClient at import time, as `gunicorn --preload` does before forking the
workers: each worker must get working watchers, heartbeats and subscriptions of its own."""
import json
import os
import threading

import nacos

ADDRESS = os.environ["NACOS_SERVER_ADDR"]
SERVICE = os.environ["PRELOAD_SERVICE"]
client = nacos.NacosClient(ADDRESS, namespace="", snapshot_base=None, failover_base=None, naming_cache_dir=None,
                           heartbeat_interval=0.3)
state = {"contents": [], "hosts": None}
lock = threading.Lock()


def on_config(params):
    with lock:
        state["contents"].append(params["content"])


def on_service(event):
    with lock:
        state["hosts"] = sorted("%s:%s" % (h["ip"], h["port"]) for h in event["hosts"])


client.add_config_watcher("preload", "DEFAULT_GROUP", on_config)
client.add_naming_instance(SERVICE, "10.7.7.7", 7777)
client.subscribe(SERVICE + "-watched", on_service)


def app(environ, start_response):
    client.get_server()
    client.list_naming_instance(SERVICE)  # a worker's first use of the client starts its background work
    with lock:
        body = json.dumps({"pid": os.getpid(), "contents": state["contents"], "hosts": state["hosts"],
                           "threads": sorted(t.name for t in threading.enumerate()
                                             if t.name.startswith("nacos-"))}).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
