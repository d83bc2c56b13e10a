"""Live settings in a plain script: a mapping that follows Nacos (docs/settings.md).

    NACOS_SERVER=127.0.0.1:8848 python examples/settings_script.py
"""
import os
import threading

import nacos
from nacos.settings import load

client = nacos.NacosClient(os.environ.get("NACOS_SERVER", "127.0.0.1:8848"))
client.publish_config("shared.properties", "DEFAULT_GROUP", "db.host=db.internal\ndb.port=5432\n")
client.publish_config("worker.yaml", "DEFAULT_GROUP", "db:\n  port: 6432\nbatch: 100\n")

settings = load(client, ["shared.properties", "worker.yaml"])  # worker.yaml overrides shared.properties
print(dict(settings))  # {'db.host': 'db.internal', 'db.port': 6432, 'batch': 100}


@settings.on_change
def changed(change):
    print("changed:", change.added, change.removed, change.modified)


client.publish_config("worker.yaml", "DEFAULT_GROUP", "db:\n  port: 6432\nbatch: 500\n")
threading.Event().wait(3)  # the change arrives on a watcher thread
print("batch is now", settings["batch"])
settings.close()
client.stop()
