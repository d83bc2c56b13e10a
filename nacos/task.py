"""Legacy heartbeat task classes (module ``nacos.task``), with the legacy parameter names and order.

The client itself no longer uses one thread per instance: managed heartbeats run on one shared scheduler.
These classes are kept for code that imports or drives them directly.
"""
from __future__ import absolute_import

import logging
import threading

logger = logging.getLogger(__name__)


class HeartbeatInfo(object):
    """What a :class:`HeartbeatTask` beats for. The first eight parameters are the legacy ones, in the legacy
    order; ``ephemeral`` is an addition."""

    def __init__(self, service_name, ip, port, cluster_name=None, group_name="DEFAULT_GROUP", weight=1.0,
                 heartbeat_interval=5, metadata=None, ephemeral=True):
        self.service_name = service_name
        self.ip = ip
        self.port = port
        self.cluster_name = cluster_name
        self.group_name = group_name
        self.weight = weight
        self.heartbeat_interval = heartbeat_interval
        self.metadata = metadata
        self.ephemeral = ephemeral

    @property
    def key(self):
        return "%s#%s#%s" % (self.service_name, self.ip, self.port)


class HeartbeatTask(threading.Thread):
    """Sends ``client.send_heartbeat`` for ``beat_info`` every ``heartbeat_interval`` seconds until stopped."""

    def __init__(self, beat_info, client):
        super(HeartbeatTask, self).__init__(name="nacos-heartbeat-%s" % beat_info.key)
        self.daemon = True
        self.beat_info = beat_info
        self.client = client
        self._stopped = threading.Event()

    @property
    def stopped(self):
        return self._stopped.is_set()

    def run(self):
        info = self.beat_info
        while not self._stopped.is_set():
            try:
                self.client.send_heartbeat(info.service_name, info.ip, info.port, info.cluster_name,
                                           info.weight, info.metadata, info.ephemeral, info.group_name)
            except Exception:  # noqa: BLE001 - keep beating
                logger.exception("heartbeat for %s failed", info.key)
            self._stopped.wait(info.heartbeat_interval)

    def stop(self):
        self._stopped.set()
