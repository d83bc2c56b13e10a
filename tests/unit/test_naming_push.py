"""The UDP push receiver on a loopback socket: acks, gzip, malformed and forged packets."""
import gzip
import io
import json
import socket
import threading

import pytest

from nacos.naming.push import BadPacket, PushReceiver, ack_for, decode_packet


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as fh:
        fh.write(data)
    return buf.getvalue()


def packet(ref=123456789012345, kind="dom", name="G@@s"):
    data = json.dumps({"name": name, "clusters": "", "hosts": [{"ip": "1.2.3.4", "port": 80}]})
    return json.dumps({"type": kind, "data": data, "lastRefTime": ref}).encode("utf-8")


def test_decode_plain_and_gzip_and_ack():
    for raw in (packet(), gz(packet())):
        decoded = decode_packet(raw)
        assert decoded["type"] == "dom"
        assert json.loads(ack_for(decoded).decode("utf-8")) == {
            "type": "push-ack", "lastRefTime": "123456789012345", "data": ""}
    assert json.loads(ack_for(decode_packet(packet(kind="other"))).decode("utf-8"))["type"] == "unknown-ack"
    dump = json.loads(ack_for(decode_packet(packet(kind="dump")), lambda: {"k": 1}).decode("utf-8"))
    assert dump["type"] == "dump-ack" and json.loads(dump["data"]) == {"k": 1}


@pytest.mark.parametrize("raw", [b"not json", b"\x1f\x8bbroken", b"[]", b'{"type": "dom"}', b"\xff\xfe",
                                 b'{"type": 5, "lastRefTime": 1}'])
def test_malformed_packets_are_refused(raw):
    with pytest.raises(BadPacket):
        decode_packet(raw)


class Harness(object):
    def __init__(self, trusted=True):
        self.got = []
        self.event = threading.Event()
        self.receiver = PushReceiver(self.on_service, lambda ip: trusted).start()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(2.0)

    def on_service(self, info):
        self.got.append(info)
        self.event.set()

    def send(self, data):
        self.sock.sendto(data, ("127.0.0.1", self.receiver.port))
        try:
            return json.loads(self.sock.recv(65536).decode("utf-8"))
        except socket.timeout:
            return None

    def close(self):
        self.receiver.stop()
        self.sock.close()


def test_receiver_acks_to_the_source_and_delivers():
    h = Harness()
    try:
        assert h.send(gz(packet(ref=42))) == {"type": "push-ack", "lastRefTime": "42", "data": ""}
        assert h.event.wait(2) and h.got[0]["name"] == "G@@s"
        h.sock.settimeout(0.3)
        assert h.send(b"garbage") is None  # malformed: no answer, receiver still alive
        h.sock.settimeout(2.0)
        assert h.send(packet(ref=43))["lastRefTime"] == "43"
        assert h.receiver.received == 2
    finally:
        h.close()
    assert not h.receiver.running


def test_forged_packets_are_dropped():
    h = Harness(trusted=False)
    try:
        h.sock.settimeout(0.3)
        assert h.send(packet()) is None
        assert h.got == []
    finally:
        h.close()
