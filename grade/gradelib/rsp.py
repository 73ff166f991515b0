"""A small client for GDB's remote serial protocol, as QEMU's gdb stub speaks it.

Enough to break on an address, continue, and read registers and memory.  A packet is
"$payload#cs" where cs is the sum of the payload bytes modulo 256 in two hex digits; each
side answers a packet with "+" (received intact) or "-" (send it again).
"""
import socket
import struct

from .errors import Failure

# The first sixteen registers of QEMU's i386 'g' reply, each 32 bits, little-endian.
REGISTERS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
             "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs")


class ProtocolError(Failure):
    """The stub went away, did not answer, or refused a request."""


def checksum(payload):
    return "%02x" % (sum(payload.encode("latin-1")) % 256)


def frame(payload):
    return "$%s#%s" % (payload, checksum(payload))


def unescape(body):
    """Undo the protocol's escapes ("}" then the byte XOR 0x20) and run-length encoding
    ("X*n": n - 29 more copies of X)."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "}":
            out.append(chr(ord(body[i + 1]) ^ 0x20))
            i += 2
        elif c == "*":
            out.append(out[-1] * (ord(body[i + 1]) - 29))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class RemoteGDB:
    def __init__(self, address, timeout=10):
        """Connects to a Unix socket path or a (host, port) pair."""
        family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(address)
        self.pending = b""

    def close(self):
        self.sock.close()

    def _byte(self):
        if not self.pending:
            try:
                self.pending = self.sock.recv(4096)
            except socket.timeout:
                raise ProtocolError("the gdb stub did not answer within %g s"
                                    % self.sock.gettimeout())
            if not self.pending:
                raise ProtocolError("the gdb stub closed the connection")
        c, self.pending = self.pending[:1], self.pending[1:]
        return c.decode("latin-1")

    def _acknowledge(self, intact):
        """Answer a packet with "+" or "-". A stub that sent its last packet and closed
        (the target detached and its machine ended, as after "D") needs no answer: the
        packet is in hand, and a refused one is reported by the next read."""
        try:
            self.sock.sendall(b"+" if intact else b"-")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _receive(self):
        """Read one packet, acknowledge it, and return its payload."""
        while True:
            while self._byte() != "$":
                pass
            body = ""
            c = self._byte()
            while c != "#":
                body += c
                c = self._byte()
            cs = self._byte() + self._byte()
            if cs.lower() == checksum(body):
                self._acknowledge(True)
                return unescape(body)
            self._acknowledge(False)

    def command(self, payload):
        """Send a packet until it is acknowledged, then return the reply's payload."""
        while True:
            try:
                self.sock.sendall(frame(payload).encode("latin-1"))
            except (BrokenPipeError, ConnectionResetError):
                raise ProtocolError("the gdb stub closed the connection before %s"
                                    % payload.split(",")[0])
            ack = self._byte()
            while ack not in "+-":
                ack = self._byte()
            if ack == "+":
                break
        reply = self._receive()
        if reply.startswith("E") and len(reply) == 3:
            raise ProtocolError("%s failed: error %s" % (payload.split(",")[0], reply[1:]))
        return reply

    def registers(self):
        """The general registers, as a dict of ints."""
        hexes = self.command("g")
        return {name: struct.unpack("<I", bytes.fromhex(hexes[8 * i:8 * i + 8]))[0]
                for i, name in enumerate(REGISTERS)}

    def read(self, address, length):
        return bytes.fromhex(self.command("m%x,%x" % (address, length)))

    def read_u32(self, address):
        return struct.unpack("<I", self.read(address, 4))[0]

    def read_u64(self, address):
        return struct.unpack("<Q", self.read(address, 8))[0]

    def read_string(self, address, limit=512):
        return self.read(address, limit).split(b"\0", 1)[0].decode("latin-1")

    def set_break(self, address):
        if self.command("Z0,%x,1" % address) != "OK":
            raise ProtocolError("the stub refused a breakpoint at %#x" % address)

    def clear_break(self, address):
        self.command("z0,%x,1" % address)

    def cont(self):
        """Continue until the target stops; returns the stop signal (5 is a breakpoint)."""
        reply = self.command("c")
        if reply[:1] not in ("S", "T"):
            raise ProtocolError("the target did not stop but answered %r" % reply)
        return int(reply[1:3], 16)

    def step(self):
        return int(self.command("s")[1:3], 16)
