"""UDP push of service changes, with acks and one retransmission.

Packet (UTF-8 JSON, gzip-compressed when 1024 bytes or more)::

    {"type":"dom","data":"<ServiceInfo JSON as a string>","lastRefTime":<int>}

The client answers to the packet's source address with
``{"type":"push-ack","lastRefTime":"<same>","data":""}``. Without an ack within
``ack_timeout`` seconds the packet is sent once more, then given up. Every push
is recorded in ``push_log`` (dicts with ``target``, ``service``, ``namespace``,
``lastRefTime``, ``acked``, ``retransmitted``).

With ``push_delay`` > 0 a service change is pushed that many seconds after the first change of a batch, and
further changes of the same service in the meantime join that push, as 2.x's ``PushDelayTask`` does
(``nacos.naming.push.pushTaskDelay``, 500 ms by default, tasks merged keeping the earliest due time).
The push to a new subscriber is not delayed.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import gzip
import io
import json
import select
import socket
import threading

from ._compat import monotonic, queue
from .errors import dumps

GZIP_THRESHOLD = 1024
MAX_RETRY = 1
_WAKE = ("wake",)   # queue item: re-check the delayed pushes


def gzip_bytes(data):
    """Gzip ``data`` (bytes) in memory."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as fh:
        fh.write(data)
    return buf.getvalue()


class UdpPusher(object):
    """One server UDP socket that sends pushes and receives acks on one thread."""

    def __init__(self, host="127.0.0.1", ack_timeout=10.0, targets=None, info=None, push_delay=0.0):
        self.host = host
        self.ack_timeout = ack_timeout
        self.push_delay = float(push_delay)
        self._due = {}              # (namespace, service) -> monotonic time its delayed push is due
        self.targets = targets      # (namespace, service) -> [subscriber with ip/port/clusters]
        self.info = info            # (namespace, service, clusters) -> ServiceInfo dict
        self._queue = queue.Queue()
        self._sender = None
        self.push_log = []
        self._lock = threading.Lock()
        self._pending = {}
        self._last_ref = 0
        self._sock = None
        self._thread = None
        self._stopping = False

    @property
    def port(self):
        """The local UDP port pushes come from (None when stopped)."""
        return self._sock.getsockname()[1] if self._sock is not None else None

    def start(self, label=""):
        """Open the socket and start the ack receiver and sender threads (names end with ``label``)."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.bind((self.host, 0))
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="nacos-testing-udp" + label)
        self._thread.daemon = True
        self._thread.start()
        self._queue = queue.Queue()
        self._sender = threading.Thread(target=self._send_loop, name="nacos-testing-push" + label)
        self._sender.daemon = True
        self._sender.start()

    def notify(self, namespace, service, target=None):
        """Queue a push of ``service`` to its subscribers (or only to ``target`` ``(ip, port)``).

        A change (no ``target``) waits ``push_delay`` seconds, merged with later changes of the same service.
        """
        if self._sender is None:
            return
        if target is None and self.push_delay > 0:
            with self._lock:
                if (namespace, service) in self._due:
                    return
                self._due[(namespace, service)] = monotonic() + self.push_delay
            self._queue.put(_WAKE)
            return
        self._queue.put((namespace, service, target))

    def _take_due(self):
        """Pop the delayed pushes that are due; returns ``(due keys, seconds until the next one or None)``."""
        now = monotonic()
        with self._lock:
            ready = [key for key, due in self._due.items() if due <= now]
            for key in ready:
                del self._due[key]
            wait = max(min(self._due.values()) - now, 0.0) if self._due else None
        return ready, wait

    def _send_loop(self):
        wait = None
        while True:
            try:
                item = self._queue.get(timeout=wait) if wait is not None else self._queue.get()
            except queue.Empty:
                item = _WAKE
            if item is None:
                return
            if item is not _WAKE:
                self._push_all(*item)
            ready, wait = self._take_due()
            for namespace, service in ready:
                self._push_all(namespace, service, None)

    def _push_all(self, namespace, service, target):
        try:
            for sub in self.targets(namespace, service):
                if target is not None and (sub.ip, sub.port) != tuple(target):
                    continue
                self.push(sub.ip, sub.port, namespace, service, self.info(namespace, service, sub.clusters))
        except Exception:  # pragma: no cover - never let the sender die
            pass

    def stop(self, timeout=1.0):
        """Stop the receiver thread and close the socket."""
        self._stopping = True
        if self._sender is not None:
            self._queue.put(None)
            self._sender.join(timeout)
            self._sender = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._sock is not None:
            try:
                self._sock.close()
            except socket.error:  # pragma: no cover
                pass
            self._sock = None
        with self._lock:
            self._pending = {}
            self._due = {}

    def clear_log(self):
        """Forget recorded pushes."""
        with self._lock:
            self.push_log[:] = []

    def _next_ref_time(self):
        value = int(monotonic() * 1e9)
        if value <= self._last_ref:
            value = self._last_ref + 1
        self._last_ref = value
        return value

    def push(self, ip, port, namespace, service, service_info):
        """Send ``service_info`` (a dict) to ``ip:port``; returns the ``lastRefTime`` used."""
        sock = self._sock
        if sock is None:
            return None
        with self._lock:
            ref = self._next_ref_time()
            packet = dumps({"type": "dom", "data": dumps(service_info), "lastRefTime": ref})
            data = packet.encode("utf-8")
            if len(data) >= GZIP_THRESHOLD:
                data = gzip_bytes(data)
            entry = {"target": "%s:%d" % (ip, port), "service": service, "namespace": namespace,
                     "lastRefTime": ref, "acked": False, "retransmitted": False, "size": len(data)}
            self.push_log.append(entry)
            self._pending[ref] = [entry, data, (ip, port), monotonic() + self.ack_timeout, 0]
        self._send(sock, data, (ip, port))
        return ref

    @staticmethod
    def _send(sock, data, addr):
        try:
            sock.sendto(data, addr)
        except (socket.error, OverflowError, ValueError):
            pass

    def _run(self):
        sock = self._sock
        while not self._stopping:
            try:
                readable = select.select([sock], [], [], 0.05)[0]
            except (select.error, ValueError, socket.error):  # pragma: no cover - socket closed
                break
            if readable:
                try:
                    data = sock.recv(65536)
                except socket.error:
                    data = None
                if data:
                    self._on_ack(data)
            self._retransmit(sock)

    def _on_ack(self, data):
        try:
            ack = json.loads(data.decode("utf-8"))
            ref = int(ack.get("lastRefTime"))
        except (ValueError, TypeError, AttributeError, UnicodeDecodeError):
            return
        with self._lock:
            pending = self._pending.pop(ref, None)
            if pending is not None:
                pending[0]["acked"] = True

    def _retransmit(self, sock):
        now = monotonic()
        resend = []
        with self._lock:
            for ref, pending in list(self._pending.items()):
                if pending[3] > now:
                    continue
                if pending[4] >= MAX_RETRY:
                    del self._pending[ref]
                    continue
                pending[4] += 1
                pending[3] = now + self.ack_timeout
                pending[0]["retransmitted"] = True
                resend.append((pending[1], pending[2]))
        for data, addr in resend:
            self._send(sock, data, addr)
