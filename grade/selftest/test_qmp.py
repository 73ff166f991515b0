"""gradelib/qemu.py's QMP client against a scripted QMP server."""
import json
import os
import socket
import subprocess
import tempfile
import threading
import unittest

from gradelib.errors import Failure
from gradelib.qemu import Qmp, QemuExited

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


if __name__ == "__main__":
    unittest.main()
