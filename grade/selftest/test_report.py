"""The summary table, Gradescope's results.json and JUnit XML, from made-up results."""
import json
import types
import unittest
import xml.etree.ElementTree as ET

from gradelib import Part
from gradelib.declare import Test
from gradelib.report import details, gradescope, junit, line, rerun_heading, table
from gradelib.runner import FAIL, PASS, SKIP, Result, rerun_failures
from selftest.test_declare import made_up_run

CONFIG = types.SimpleNamespace(emu="qemu", kernel="/nonexistent", artifacts="/tmp")


def result(name, status, score, lab=1, regression=False, suite=None, **options):
    t = Test(name, **options)
    t.lab, t.regression = lab, regression
    t.suite = suite or {0: "Zero", 1: "One"}.get(lab)
    r = Result(t, status, "" if status == PASS else "it broke\x1b[31m")
    r.score, r.workdir = score, "/tmp/" + name
    if status != SKIP:
        r.run = made_up_run(console="boot\x00ok\n", records="FLUKE N END status=0 tsc=1")
    return r


def sample():
    return [result("boot", PASS, 10, points=10),
            result("parts", FAIL, 3, parts=[Part("a", 3), Part("b", 2)]),
            result("gdb", SKIP, 0, points=5),
            result("old", FAIL, 0, lab=0, regression=True, points=4),
            result("records-parse", PASS, 0, lab=None, points=0)]


class ReportTest(unittest.TestCase):
    def test_live_line(self):
        self.assertEqual(line(sample()[0]).split(),
                         ["PASS", "boot", "10/10", "0.0s", "used", "1K", "of", "5K"])

    def test_table_ends_with_the_tally(self):
        results = sample()
        results[1].parts = [("a", 3, 3, None), ("b", 2, 0, "no")]
        out = table(results, [(0, "Zero"), (1, "One")], 1, 12.3, 2)
        self.assertEqual(out[-1], "2 passed, 2 failed")
        self.assertIn("lab 1: One", out[0])
        self.assertTrue(out[0].endswith("13/15"))             # the skipped test counts no points
        self.assertIn("lab 1: 13/15; regressions from earlier labs: 1 test fails (old)",
                      out)
        self.assertIn("grader self-tests: 1 of 1 passed", out)
        self.assertIn("wall time 12.3 s with 2 jobs; 1 skipped", out)

    def test_each_file_of_a_lab_lists_its_own_tests(self):
        results = [result("a", PASS, 1, points=1), result("b", PASS, 2, points=2, suite="Two")]
        out = table(results, [(1, "One"), (1, "Two")], None, 1.0, 1)
        self.assertTrue(out[0].startswith("lab 1: One") and out[0].endswith("1/1"))
        self.assertEqual(out[1].split(), ["a", "1/1"])
        self.assertTrue(out[2].startswith("lab 1: Two") and out[2].endswith("2/2"))
        self.assertEqual(out[3].split(), ["b", "2/2"])

    def test_grand_totals_per_lab_and_overall(self):
        """Lab 0 is graded under several headings (one per file): its total, and every
        lab's, are lines of their own."""
        results = [result("a", PASS, 1, lab=0, points=1),
                   result("b", FAIL, 0, lab=0, points=2, suite="Two"),
                   result("c", PASS, 4, lab=1, points=4),
                   result("d", SKIP, 0, lab=1, points=8)]
        out = table(results, [(0, "Zero"), (0, "Two"), (1, "One")], None, 1.0, 1)
        self.assertEqual(out[out.index("=" * 56) + 1:out.index("=" * 56) + 4], [
            "%-47s1/3" % "lab 0 in all (its 2 sections above)", "%-47s4/4" % "lab 1 in all",
            "%-47s5/7" % "every lab in all (2 labs)"])

    def test_gradescope_results(self):
        data = json.loads(json.dumps(gradescope(sample(), CONFIG, 12.34, ["summary"])))
        self.assertEqual(data["score"], 13)
        self.assertEqual(data["execution_time"], 12.3)
        tests = {t["name"]: t for t in data["tests"]}
        self.assertEqual(set(tests["lab 1: parts"]),
                         {"name", "score", "max_score", "output", "status", "visibility"})
        self.assertEqual((tests["lab 1: parts"]["score"], tests["lab 1: parts"]["max_score"],
                          tests["lab 1: parts"]["status"]), (3, 5, "failed"))
        self.assertEqual(tests["regression: lab 0: old"]["max_score"], 0)
        self.assertNotIn("status", tests["lab 1: gdb"])
        self.assertEqual(tests["self-test: records-parse"]["status"], "passed")

    def test_junit_parses(self):
        root = ET.fromstring(junit(sample(), CONFIG, 3.0))
        self.assertEqual((root.tag, root.get("tests"), root.get("failures"),
                          root.get("skipped")), ("testsuites", "5", "2", "1"))
        suites = {s.get("name"): s for s in root.findall("testsuite")}
        self.assertEqual(sorted(suites), ["lab0", "lab1", "selftest"])
        failure = suites["lab1"].find("testcase[@name='parts']/failure")
        self.assertEqual(failure.get("message"), "it broke\\x1b[31m")    # escaped
        self.assertEqual(suites["lab1"].find("testcase[@name='boot']/system-out").text,
                         "boot\\x00ok")

    def test_reruns_say_which_failures_never_ran(self):
        first, second, third = (result(n, FAIL, 0, points=1) for n in ("a", "b", "c"))
        for r, needs in ((second, "a"), (third, "b")):
            r.ran, r.reason = False, "not run: it needs %s, which failed" % needs
        results = [first, second, third, result("d", PASS, 1, points=1)]
        self.assertEqual(rerun_heading(results, 2),
                         "rerunning 1 failing test 2 times each; not rerunning 2 that never "
                         "ran, since a test they need failed (b, c)...")
        rerun_failures([second, third], CONFIG, 2, 1)      # nothing to boot
        self.assertEqual(third.flaky, "not rerun: it never ran, since it needs b, which failed")
        self.assertIn("      reruns: not rerun: it never ran, since it needs b, which failed",
                      details(third, CONFIG))


if __name__ == "__main__":
    unittest.main()
