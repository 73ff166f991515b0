"""What a guest prints is bounded and escaped wherever the grader keeps or shows it: a fake
kernel prints a line of 300,000 characters led by ESC, NUL and BEL, 50,000 short lines
and control characters (fake=flood); the Run, console.txt, the terminal report (with and
without -v), results.json and JUnit stay small and hold no control character, and reading
a 15 MB line costs the grader little memory."""
import json
import os
import re
import tempfile
import tracemalloc
import unittest

from gradelib import Console
from gradelib.machine import Machine
from gradelib.bounded import shown
from gradelib.report import WHOLE, details, gradescope, junit, line
from gradelib.runner import FAIL
from selftest import fakes

# Anything but printable ASCII and the newline that joins lines.
CONTROL = re.compile(r"[^\x20-\x7e\n]")


class BoundedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = fakes.grade("flood", expect=[Console("^never printed$")], budget=400000000)

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
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "console"), "wb") as f:
                f.write(b"start\n" + b"y" * 15000000 + b"\nend\n")
            m = Machine.__new__(Machine)
            m.tmp = tmp
            tracemalloc.start()
            try:
                text = m.read("console")
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        self.assertLess(peak, 4000000, "reading a 15 MB line took %d bytes" % peak)
        self.assertTrue(text.startswith("start\nyyy") and text.endswith("yyy\nend\n"))
        self.assertLess(len(text), 5000)
