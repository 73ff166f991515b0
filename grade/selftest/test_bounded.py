"""What a guest prints is bounded and escaped wherever the grader keeps or shows it: a fake
kernel prints a line of 300,000 characters led by ESC, NUL and BEL, 50,000 short lines
and control characters (fake=flood); the Run, console.txt, the terminal report (with and
without -v), results.json and JUnit stay small and hold no control character, and reading
a 15 MB line costs the grader little memory."""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest

from gradelib import Console
from gradelib.bounded import shown
from gradelib.report import WHOLE, details, gradescope, junit, line
from gradelib.runner import FAIL
from selftest import fakes

GRADE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Reads the console file in the folder argv[1] as the grader does; prints the peak of the
# memory it took, the length of the text kept, and whether its start and end are kept.
MEASURE = """
import json, sys, tracemalloc
from gradelib.machine import Machine
m = Machine.__new__(Machine)
m.tmp = sys.argv[1]
tracemalloc.start()
text = m.read("console")
peak = tracemalloc.get_traced_memory()[1]
ends = [text.startswith("start\\nyyy"), text.endswith("yyy\\nend\\n")]
print(json.dumps([peak, len(text), ends]))
"""
# Anything but printable ASCII and the newline that joins lines.
CONTROL = re.compile(r"[^\x20-\x7e\n]")


_lock = threading.Lock()
_graded = {}


def flooded():
    """The Result of grading fake=flood against a console line it never prints, graded once
    (the grader runs each self-test on its own, without setUpClass)."""
    with _lock:
        if "r" not in _graded:
            _graded["r"] = fakes.grade("flood", expect=[Console("^never printed$")],
                                       budget=400000000)
        return _graded["r"]


class BoundedTest(unittest.TestCase):
    def setUp(self):
        self.r = flooded()

    def assertClean(self, text, most, what):
        self.assertLess(len(text), most, "%s: %d characters" % (what, len(text)))
        bad = CONTROL.search(text)
        if bad:
            self.fail("%s holds %r at %d: %r" % (what, bad.group(), bad.start(),
                                                 text[max(0, bad.start() - 40):bad.start() + 40]))

    def test_the_flood_fails_on_its_expectation(self):
        self.assertEqual(self.r.status, FAIL)
        self.assertIn("a console line matching /^never printed$/", self.r.reason)

    def test_the_run_keeps_a_bounded_console(self):
        console = self.r.run.console
        self.assertLess(len(console), 540000)
        self.assertTrue(console.rstrip().endswith("red"), console[-200:])
        long = [s for s in console.split("\n") if s.startswith("flood: ")][0]
        self.assertLess(len(long), 5000)
        self.assertRegex(long, r"\[\.\.\. \d+ characters cut \.\.\.\]")
        self.assertRegex(console, r"\n\[\.\.\. \d+ lines cut \.\.\.\]\n")
        size = os.path.getsize(os.path.join(self.r.workdir, "console.txt"))
        self.assertLess(size, 540000)

    def test_the_terminal_report_is_short_and_plain(self):
        config = fakes.config()
        text = "\n".join([line(self.r)] + details(self.r, config))
        self.assertClean(text, 20000, "the report")
        self.assertIn("flood: the end \\x1b]0;title\\x07\\x1b[31mred", text)
        verbose = "\n".join(details(self.r, config, verbose=True))
        self.assertClean(verbose, 400000, "the -v report")
        self.assertRegex(verbose, r"console, last %d of \d+ lines" % WHOLE)
        long = [s for s in self.r.run.console.split("\n") if s.startswith("flood: ")][0]
        self.assertRegex(shown(long), r"^flood: \\x1b\[2J\\x00\\x07x+ \[\.\.\. \d+ "
                                      r"characters cut \.\.\.\]$")

    def test_results_json_and_junit_are_short_and_plain(self):
        config = fakes.config()
        data = gradescope([self.r], config, 1.0, ["summary"])
        self.assertLess(len(json.dumps(data)), 20000)
        for t in data["tests"]:
            self.assertClean(t["output"], 20000, "results.json's output")
        xml = junit([self.r], config, 1.0)
        self.assertClean(xml, 400000, "the JUnit XML")

    def test_reading_a_huge_line_takes_little_memory(self):
        # In a Python of its own: tracemalloc counts every thread's allocations, and other
        # self-tests run beside this one.
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "console"), "wb") as f:
                f.write(b"start\n" + b"y" * 15000000 + b"\nend\n")
            done = subprocess.run([sys.executable, "-c", MEASURE, tmp], env=dict(
                os.environ, PYTHONPATH=GRADE), stdout=subprocess.PIPE, check=True)
        peak, size, ends = json.loads(done.stdout)
        self.assertLess(peak, 4000000, "reading a 15 MB line took %d bytes" % peak)
        self.assertEqual(ends, [True, True])
        self.assertLess(size, 5000)
