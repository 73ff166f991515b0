"""The gdb remote-protocol client, against a scripted stub on a Unix socket."""
import contextlib
import os
import socket
import struct
import tempfile
import threading
import unittest

from gradelib.rsp import ProtocolError, RemoteGDB, checksum, frame, unescape

EIP = 0xC0100EDC


def registers_reply():
    values = [0] * 16
    values[8] = EIP
    return "".join(struct.pack("<I", v).hex() for v in values) + "xx" * 10


class Listener(threading.Thread):
    """A scripted stub on a fresh Unix socket: serve(conn) answers the one client."""

    def __init__(self):
        super().__init__(daemon=True)
        self.tmp = tempfile.mkdtemp(prefix="fluke-rsp-")
        self.path = os.path.join(self.tmp, "gdb")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(1)

    def run(self):
        conn, _ = self.server.accept()
        try:
            self.serve(conn)
        finally:
            conn.close()
            self.server.close()

    def remove(self):
        os.remove(self.path)
        os.rmdir(self.tmp)


@contextlib.contextmanager
def client_of(stub):
    """A RemoteGDB connected to stub, started; closed and the socket removed after."""
    stub.start()
    g = RemoteGDB(stub.path, timeout=5)
    try:
        yield g
    finally:
        g.close()
        stub.remove()


class Stub(Listener):
    """Answers packets like QEMU's stub, but refuses the first packet once ("-") and sends
    its first reply with a bad checksum once, to exercise both retransmissions."""

    def __init__(self):
        super().__init__()
        self.received = []

    def answer(self, payload):
        if payload == "g":
            return registers_reply()
        if payload.startswith("m"):
            return "6e6f6e63653d61620*&"       # "nonce=ab", then "0" and 9 more "0"s
        if payload.startswith(("Z0", "z0")):
            return "OK"
        if payload in ("c", "s"):
            return "T05thread:01;"
        return "E01"

    def serve(self, conn):
        data, refused, corrupted = b"", False, False
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
            while b"#" in data and len(data) >= data.index(b"#") + 3:
                end = data.index(b"#") + 3
                packet, data = data[data.index(b"$"):end].decode(), data[end:]
                if not refused:
                    refused = True
                    conn.sendall(b"-")
                    continue
                payload = packet[1:-3]
                self.received.append(payload)
                reply = frame(self.answer(payload))
                if not corrupted:
                    corrupted = True
                    conn.sendall(b"+" + reply[:-2].encode() + b"00")
                    conn.recv(1)                   # the client's "-"
                    conn.sendall(reply.encode())
                else:
                    conn.sendall(b"+" + reply.encode())
                conn.recv(1)                       # the client's "+"


class DetachStub(Listener):
    """Answers "D" with "OK" and closes at once, as a debugger does whose target then
    ends: the client's acknowledgement meets a closed socket."""

    def serve(self, conn):
        data = b""
        while not data.endswith(frame("D").encode()):
            data += conn.recv(4096)
        conn.sendall(b"+" + frame("OK").encode())


class RemoteProtocolTest(unittest.TestCase):
    def test_framing(self):
        self.assertEqual(frame("g"), "$g#67")
        self.assertEqual(checksum("OK"), "9a")
        self.assertEqual(unescape("a}\x03b0* "), "a#b0000")

    def test_a_session(self):
        stub = Stub()
        with client_of(stub) as g:
            self.assertEqual(g.registers()["eip"], EIP)
            g.set_break(EIP)
            self.assertEqual(g.cont(), 5)
            self.assertEqual(g.read(0x1000, 13), b"nonce=ab\0\0\0\0\0")
            self.assertEqual(g.read_string(0x1000), "nonce=ab")
            self.assertRaises(ProtocolError, g.command, "qBogus")
        self.assertEqual(stub.received[:3], ["g", "Z0,c0100edc,1", "c"])

    def test_a_stub_that_closes_after_its_reply(self):
        stub = DetachStub()
        with client_of(stub) as g:
            self.assertEqual(g.command("D"), "OK")
            stub.join(5)
            self.assertRaises(ProtocolError, g.command, "g")


if __name__ == "__main__":
    unittest.main()
