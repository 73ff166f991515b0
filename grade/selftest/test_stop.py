"""However the grader ends (SIGTERM, SIGHUP, SIGINT, an exception), it stops every emulator
it started and removes their temporary directories: a grader run in a child Python with a
TMPDIR of its own grades a fake kernel that spins forever, and is signalled once QEMU runs."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from selftest import fakes

GRADE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The child: grade.py's main, with the labs replaced by one fake test that spins until the
# grader stops it (a budget and a wall-clock net far past the self-test's patience).
# With "raise", a report of a finished test raises instead (the grader itself failing).
CHILD = r"""
import sys
sys.path.insert(0, %(grade)r)
import grade
from gradelib import Boot, Passed
from gradelib.declare import Test
spin = Test("stop-spin", points=1, boot=Boot(kernel=%(kernel)r, keys=["fake=spin"]),
            expect=[Passed("fake")], budget=10 ** 12, wall=600)
quick = Test("stop-pass", points=1, boot=Boot(kernel=%(kernel)r, keys=["fake=pass"]),
             expect=[Passed("fake")])
for t in (spin, quick):
    t.lab = 9
grade.load_labs = lambda: ([(9, "stop")], [quick, spin])
if sys.argv[1] == "raise":
    def broken(*_):
        raise RuntimeError("a report that fails")
    grade.report.line = broken
sys.exit(grade.main(["-j2", "--kernel", %(kernel)r, "--artifacts", %(art)r,
                     "stop-spin", "stop-pass"]))
"""


def _emulators(mark):
    """The pids of the processes whose command line mentions mark."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if mark.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class StopTest(unittest.TestCase):
    def ends_cleanly(self, how):
        with tempfile.TemporaryDirectory(prefix="fluke-stop-") as tmp:
            scratch = os.path.join(tmp, "tmp")
            os.makedirs(scratch)
            env = dict(os.environ, TMPDIR=scratch, PYTHONPATH=GRADE)
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD % {"grade": GRADE, "kernel": fakes.kernel(),
                                           "art": os.path.join(tmp, "a")},
                 "raise" if how == "raise" else "run"],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT)
            out, left = "", []
            try:
                deadline = time.monotonic() + 30
                while not _emulators(scratch + "/fluke-grade-") and child.poll() is None:
                    self.assertLess(time.monotonic(), deadline, "QEMU never started")
                    time.sleep(0.05)
                if how != "raise":
                    time.sleep(0.5)         # the spinning guest runs
                    child.send_signal(how)
                try:
                    out = child.communicate(timeout=30)[0].decode(errors="replace")
                except subprocess.TimeoutExpired:
                    out = "(the grader still ran 30 s later)"
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
                time.sleep(0.2)     # a QEMU that was stopped is gone by now
                left = _emulators(scratch + "/fluke-grade-")
                for pid in left:    # the test's own cleanup, once it has seen them
                    os.kill(pid, signal.SIGKILL)
            self.assertEqual(left, [], "emulators left running; the grader printed:\n" + out)
            self.assertEqual(os.listdir(scratch), [], "temporary files left behind")
            return child.returncode, out

    def test_sigterm_stops_the_emulators(self):
        status, out = self.ends_cleanly(signal.SIGTERM)
        self.assertEqual(status, 128 + signal.SIGTERM, out)
        self.assertIn("stopped by SIGTERM; every emulator was stopped", out)

    def test_sighup_stops_the_emulators(self):
        status, out = self.ends_cleanly(signal.SIGHUP)
        self.assertEqual(status, 128 + signal.SIGHUP, out)

    def test_sigint_stops_the_emulators(self):
        status, out = self.ends_cleanly(signal.SIGINT)
        self.assertEqual(status, 130, out)

    def test_a_grader_exception_stops_the_emulators(self):
        status, out = self.ends_cleanly("raise")
        self.assertNotEqual(status, 0)
        self.assertIn("a report that fails", out)
