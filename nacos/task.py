"""Legacy heartbeat task classes (module ``nacos.task``).

The client itself no longer uses one thread per instance: managed heartbeats run on one shared scheduler.
These classes are kept for code that imports or drives them directly.
"""
from __future__ import absolute_import

import logging
import threading

logger = logging.getLogger(__name__)


class HeartbeatInfo(object):
    def __init__(self, service_name, ip, port, cluster_name=None, weight=1.0, metadata=None, ephemeral=True,
                 group_name="DEFAULT_GROUP", heartbeat_interval=5):
        self.service_name = service_name
        self.ip = ip
        self.port = port
        self.cluster_name = cluster_name
        self.weight = weight
        self.metadata = metadata
        self.ephemeral = ephemeral
        self.group_name = group_name
        self.heartbeat_interval = heartbeat_interval

    @property
    def key(self):
        return "%s#%s#%s" % (self.service_name, self.ip, self.port)


class HeartbeatTask(threading.Thread):
    """Sends ``client.send_heartbeat`` for one instance every ``heartbeat_interval`` seconds until stopped."""

    def __init__(self, heartbeat_info, client):
        super(HeartbeatTask, self).__init__(name="nacos-heartbeat-%s" % heartbeat_info.key)
        self.daemon = True
        self.info = heartbeat_info
        self.client = client
        self._stopped = threading.Event()

    def run(self):
        info = self.info
        while not self._stopped.is_set():
            try:
                self.client.send_heartbeat(info.service_name, info.ip, info.port, info.cluster_name,
                                           info.weight, info.metadata, info.ephemeral, info.group_name)
            except Exception:  # noqa: BLE001 - keep beating
                logger.exception("heartbeat for %s failed", info.key)
            self._stopped.wait(info.heartbeat_interval)

    def stop(self):
        self._stopped.set()
