"""The UDP push receiver: one daemon thread on one datagram socket.

Packet from the server (UTF-8 JSON, gzip-compressed when large - detected by the magic ``1f 8b``)::

    {"type": "dom", "data": "<ServiceInfo JSON as a string>", "lastRefTime": <long>}

Answer, sent to the packet's source address, echoing ``lastRefTime`` exactly::

    {"type": "push-ack", "lastRefTime": "<same value>", "data": ""}

``dom`` and ``service`` packets carry a service list (handed to ``on_service``); ``dump`` is answered with a
``dump-ack`` holding every known list; other types get an ``unknown-ack``. Packets that are not valid JSON
push packets, or that come from an address that is not one of the servers (``trusted(ip)`` says no), are
dropped without an answer.
"""
from __future__ import absolute_import

import json
import logging
import socket
import threading

from ..compat import integer_types, string_types, text_type
from ..executor import spawn_thread

logger = logging.getLogger(__name__)

MAX_PACKET = 65536
MAX_INFLATED = 16 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class BadPacket(ValueError):
    """A datagram that is not a Nacos push packet."""


def decode_packet(data):
    """The push packet dict of a datagram (gunzipped when it starts with ``1f 8b``); raises BadPacket."""
    if data[:2] == GZIP_MAGIC:
        try:
            import gzip  # only for large pushes, not on import
            import io
            with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as fh:
                data = fh.read(MAX_INFLATED + 1)
        except (IOError, OSError, EOFError, ValueError) as exc:
            raise BadPacket("bad gzip data: %s" % exc)
        if len(data) > MAX_INFLATED:
            raise BadPacket("inflates to more than %d bytes" % MAX_INFLATED)
    try:
        packet = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadPacket("not JSON: %s" % exc)
    if not isinstance(packet, dict) or not isinstance(packet.get("type"), string_types):
        raise BadPacket("no packet type")
    ref = packet.get("lastRefTime")
    if isinstance(ref, bool) or not isinstance(ref, integer_types + string_types):
        raise BadPacket("no lastRefTime")
    return packet


def service_of(packet):
    """The ServiceInfo dict carried by a ``dom``/``service`` packet; raises BadPacket."""
    data = packet.get("data")
    if isinstance(data, string_types):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise BadPacket("data is not JSON: %s" % exc)
    if not isinstance(data, dict) or not isinstance(data.get("name"), string_types) \
            or not isinstance(data.get("hosts", []), list):
        raise BadPacket("data is not a service list")
    return data


def ack_for(packet, dump=None):
    """The answer datagram (bytes) for ``packet``; ``dump()`` gives the lists for a ``dump`` packet."""
    ref = packet["lastRefTime"]
    ref = ref if isinstance(ref, string_types) else "%d" % ref
    kind = packet["type"]
    if kind in ("dom", "service"):
        answer = {"type": "push-ack", "lastRefTime": ref, "data": ""}
    elif kind == "dump":
        answer = {"type": "dump-ack", "lastRefTime": ref, "data": json.dumps(dump() if dump else {})}
    else:
        answer = {"type": "unknown-ack", "lastRefTime": ref, "data": ""}
    text = json.dumps(answer)
    return text.encode("utf-8") if isinstance(text, text_type) else text


class PushReceiver(object):
    """Receives pushes on ``(bind_host, port)`` and calls ``on_service(info)`` for each service list.

    :param on_service: called on the receiver thread with the ServiceInfo dict; must not block long.
    :param trusted: ``trusted(source_ip)`` -> bool; packets from other addresses are dropped.
    :param dump: ``dump()`` -> dict of known lists, for ``dump`` packets.
    """

    def __init__(self, on_service, trusted, dump=None, family=socket.AF_INET, port=0, metrics=None, spawn=None):
        self.on_service = on_service
        self.trusted = trusted
        self.dump = dump
        self.family = family
        self.requested_port = port
        self.received = 0  # push packets accepted
        self.metrics = metrics
        self._spawn = spawn or spawn_thread
        self._sock = None
        self._thread = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._warned_sources = set()

    @property
    def port(self):
        sock = self._sock
        return sock.getsockname()[1] if sock is not None else None

    @property
    def running(self):
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self):
        """Bind and start the thread (idempotent); raises socket.error when no socket can be bound."""
        with self._lock:
            if self.running:
                return self
            sock = socket.socket(self.family, socket.SOCK_DGRAM)
            try:
                sock.bind(("::" if self.family == socket.AF_INET6 else "0.0.0.0", self.requested_port))
                sock.settimeout(2.0)  # safety net; stop() wakes the thread with a datagram
            except Exception:
                sock.close()
                raise
            self._sock = sock
            self._stopping.clear()
            self._thread = self._spawn(self._run, "nacos-naming-push", sock)
            logger.debug("UDP push receiver listening on port %s", self.port)
        return self

    def stop(self, timeout=1.0):
        """Stop the thread and close the socket (idempotent)."""
        with self._lock:
            sock, thread = self._sock, self._thread
            self._sock = self._thread = None
            self._stopping.set()
        if sock is None:
            return
        try:
            wake = ("::1" if self.family == socket.AF_INET6 else "127.0.0.1", sock.getsockname()[1])
            sock.sendto(b"", wake)
        except (socket.error, OSError):
            logger.debug("could not wake the push receiver", exc_info=True)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        sock.close()

    def abandon(self):
        """In a forked child: close the child's copy of the socket (the parent's stays open) and forget the
        parent's thread, which does not exist here."""
        sock = self._sock
        if sock is not None:
            try:
                sock.close()
            except (socket.error, OSError):
                logger.debug("closing the inherited push socket failed", exc_info=True)
        self._sock = self._thread = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def _run(self, sock):
        while not self._stopping.is_set():
            try:
                data, addr = sock.recvfrom(MAX_PACKET)
            except socket.timeout:
                continue
            except (socket.error, OSError):
                if self._stopping.is_set():
                    return
                logger.debug("push receiver: recvfrom failed", exc_info=True)
                self._stopping.wait(0.5)
                continue
            if self._stopping.is_set():
                return
            try:
                self.handle(sock, data, addr)
            except Exception:  # noqa: BLE001 - one bad packet must not end the receiver
                logger.exception("push receiver: handling a packet from %s failed", addr[0])

    def _count(self, outcome):
        if self.metrics is not None:
            self.metrics.inc("nacos_naming_push_packets_total", (("outcome", outcome),))

    def handle(self, sock, data, addr):
        """Check, acknowledge and deliver one datagram."""
        if not data:
            return
        if not self.trusted(addr[0]):
            self._count("rejected")
            if addr[0] not in self._warned_sources:
                self._warned_sources.add(addr[0])
                logger.warning("ignoring UDP packets from %s: not a configured Nacos server", addr[0])
            return
        try:
            packet = decode_packet(data)
            info = service_of(packet) if packet["type"] in ("dom", "service") else None
        except BadPacket as exc:
            self._count("rejected")
            logger.warning("ignoring a malformed push packet from %s: %s", addr[0], exc)
            return
        if info is not None:
            self.received += 1
            self._count("received")
        sock.sendto(ack_for(packet, self.dump), addr)
        self._count("acked")
        if info is not None:
            self.on_service(info)
