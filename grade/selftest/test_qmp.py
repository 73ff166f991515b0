"""gradelib/qemu.py's QMP client against a scripted QMP server."""
import json
import os
import socket
import subprocess
import tempfile
import threading
import unittest

from gradelib.declare import Boot
from gradelib.errors import Failure
from gradelib.qemu import HANG_SECONDS, QemuMachine, Qmp, QemuExited

GREETING = json.dumps({"QMP": {"version": {}, "capabilities": []}}) + "\n"


class FakeProc:
    """Stands in for QEMU's Popen: exited already, or still running."""

    def __init__(self, exited):
        self.exited = exited

    def poll(self):
        return 1 if self.exited else None

    def wait(self, timeout=None):
        if not self.exited:
            raise subprocess.TimeoutExpired("qemu", timeout)
        return 1


class QmpTest(unittest.TestCase):
    def serve(self, script):
        """Listen on a fresh socket; one client gets script(conn) run on it."""
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        path = os.path.join(tmp.name, "qmp")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(1)
        self.addCleanup(server.close)

        def run():
            conn, _ = server.accept()
            with conn:
                script(conn, conn.makefile("rw"))
        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.addCleanup(t.join, 5)
        return path

    def test_a_handshake_then_a_command(self):
        def script(conn, f):
            f.write(GREETING)
            f.flush()
            for answer in ({}, {"icount": 1234}):
                json.loads(f.readline())
                f.write(json.dumps({"event": "SOMETHING"}) + "\n")   # events are skipped
                f.write(json.dumps({"return": answer}) + "\n")
                f.flush()
        q = Qmp(self.serve(script), FakeProc(exited=False))
        self.assertEqual(q.command("query-replay")["icount"], 1234)
        q.close()

    def test_a_guest_that_ends_during_the_handshake_is_an_exit(self):
        # QEMU accepted the connection, then the guest finished and QEMU exited.
        def script(conn, f):
            f.write(GREETING)
            f.flush()
        with self.assertRaises(QemuExited):
            Qmp(self.serve(script), FakeProc(exited=True))

    def test_a_silent_qemu_that_still_runs_is_a_failure(self):
        def script(conn, f):
            pass                                # closes without a greeting
        with self.assertRaises(Failure) as e:
            Qmp(self.serve(script), FakeProc(exited=False))
        self.assertIn("still runs", str(e.exception))


class RegistersQmp:
    """Answers HMP info registers as QEMU 7.2 does, with the given EFLAGS and HLT."""

    def __init__(self, eflags, halted):
        self.text = ("EAX=00000000 EBX=00000000\nEIP=0000e05b EFL=%08x [-------] CPL=0 II=0 "
                     "A20=1 SMM=0 HLT=%d\n" % (eflags, halted))

    def command(self, name, **arguments):
        assert (name, arguments) == ("human-monitor-command",
                                     {"command-line": "info registers"})
        return self.text


class HangJudgementTest(unittest.TestCase):
    """A guest that executes nothing is a hang only when its CPU says so, so a loaded host
    (QEMU waiting for the host's disk, say, still in the BIOS) never is one (issue 19)."""

    def machine(self, eflags, halted, booted):
        m = QemuMachine(None, Boot(), "n", 1000, 1, "/nonexistent")
        self.addCleanup(m.close)
        m.qmp, m.booted = RegistersQmp(eflags, halted), booted
        return m

    def test_halted_with_interrupts_disabled_is_a_hang_at_once(self):
        self.assertIn("halted with interrupts disabled",
                      self.machine(0x002, 1, None).hang(1.0))

    def test_halted_with_interrupts_enabled_only_after_the_kernel_started_and_long(self):
        self.assertIsNone(self.machine(0x202, 1, None).hang(HANG_SECONDS * 5))  # in the BIOS
        self.assertIsNone(self.machine(0x202, 1, 1000).hang(HANG_SECONDS - 1))
        self.assertIn("waiting for an interrupt", self.machine(0x202, 1, 1000).hang(
            HANG_SECONDS))

    def test_a_cpu_that_is_not_halted_is_the_host_not_running_qemu_never_a_hang(self):
        self.assertIsNone(self.machine(0x002, 0, 1000).hang(HANG_SECONDS * 5))


if __name__ == "__main__":
    unittest.main()
