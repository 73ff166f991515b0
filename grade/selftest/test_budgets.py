"""Budgets near need (gradelib/budgets.py): the table's rules, and, on the real image, that
real tests whose guest never ends are stopped by their measured budgets, at about 3 times
the need, in a few times a good run's wall time, and reported as having used their budget.
That bounds what one looping bug costs the suite: each test it breaks takes a few times
its normal time instead of running into a 200M-400M budget or a wall-clock net."""
import os
import shutil
import tempfile
import types
import unittest

from gradelib import Boot, budgets, loader
from gradelib.declare import DEFAULT_BUDGET, Test
from gradelib.machine import TIMEOUT, count
from gradelib.runner import FAIL, PASS, Result, run_test

HERE = os.path.dirname(os.path.abspath(__file__))
GRADE = os.path.dirname(HERE)
ROOT = os.path.dirname(GRADE)
OBJ = os.path.join(ROOT, "obj")

# Real tests and, for each, the arguments that make its program run (for all practical
# purposes) forever: spin counts primes below N by trial division.
LOOPING = {"stack-spin-d0": ["2000000000"], "stack-spin-d1-forward": ["2000000000"]}


class TableTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fluke-budgets-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.path = os.path.join(self.tmp, "budgets.txt")

    def test_budget_is_three_times_the_need_plus_the_allowance(self):
        self.assertEqual(budgets.budget_for(0), budgets.ALLOWANCE)
        self.assertEqual(budgets.budget_for(10000000), 30000000 + budgets.ALLOWANCE)
        self.assertEqual(budgets.budget_for(10000001), 31000000 + budgets.ALLOWANCE)

    def test_the_table_sets_budgets_a_missing_row_gets_the_default_and_a_note(self):
        budgets.write({"measured": (5000000, 120)}, self.path)
        measured, missing, pinned = Test("measured"), Test("missing"), Test("pinned",
                                                                            budget=12345)
        budgets.apply([measured, missing, pinned], self.path)
        self.assertEqual((measured.budget, measured.console_need, measured.budget_note),
                         (budgets.budget_for(5000000), 120, ""))
        self.assertEqual(missing.budget, DEFAULT_BUDGET)
        self.assertEqual(pinned.budget, 12345)
        note = budgets.missing_note([measured, missing, pinned])
        self.assertIn("1 test has no measured need in grade/budgets.txt (missing)", note)
        self.assertIn('make grade-budgets GRADEFLAGS="missing"', note)

    def test_a_bad_row_names_its_line(self):
        with open(self.path, "w") as f:
            f.write("# comment\nboot-qemu 12x 5\n")
        self.assertRaisesRegex(budgets.TableError, "line 2: 'boot-qemu 12x 5'",
                               budgets.read, self.path)

    def test_measuring_updates_the_rows_of_tests_that_passed(self):
        table = {"a": (1, 1), "b": (2, 2)}
        results = []
        for name, status, need in (("a", PASS, (7000000, 9)), ("b", FAIL, (1, 1))):
            t = Test(name)
            t.lab = 0
            r = Result(t, status)
            r.need = need
            results.append(r)
        said = budgets.measured(table, results)
        self.assertEqual(table, {"a": (7000000, 9), "b": (2, 2)})
        self.assertIn("rows kept as they were: b", said[-1])

    def test_every_test_of_the_labs_has_a_row_or_a_budget_of_its_own(self):
        _, tests = loader.load(GRADE, ROOT)
        table = budgets.read()
        missing = [t.name for t in tests if t.boots and not t.pinned and t.name not in table]
        self.assertEqual(missing, [], "run make grade-budgets GRADEFLAGS=\"%s\"" %
                         " ".join(missing))


class LoopingGuestTest(unittest.TestCase):
    """The acceptance test of budgets near need, on the real image."""

    def config(self):
        for name in ("fluke.img", "kern/kernel", "bootfs.img"):
            if not os.path.exists(os.path.join(OBJ, name)):
                self.skipTest("obj/%s is not built (make)" % name)
        tmp = tempfile.mkdtemp(prefix="fluke-looping-")
        self.addCleanup(shutil.rmtree, tmp, True)
        return types.SimpleNamespace(
            root=ROOT, image=os.path.join(OBJ, "fluke.img"),
            kernel=os.path.join(OBJ, "kern", "kernel"),
            bootfs=os.path.join(OBJ, "bootfs.img"),
            qemu=os.environ.get("QEMU", "qemu-system-i386"), gdb="gdb", bochs="bochs",
            emu="qemu", artifacts=tmp)

    def test_a_looping_guest_is_stopped_by_its_measured_budget(self):
        config = self.config()
        _, tests = loader.load(GRADE, ROOT)
        by_name = {t.name: t for t in tests}
        for name, args in LOOPING.items():
            good = by_name[name]
            self.assertFalse(good.pinned or good.budget_note, name)
            normal = run_test(good, config, os.path.join(config.artifacts, name))
            self.assertEqual(normal.status, PASS, normal.reason)
            looping = Test(name + "-looping", points=1, budget=good.budget,
                           boot=Boot(monitors=good.boot.monitors, program="spin", args=args))
            r = run_test(looping, config, os.path.join(config.artifacts, looping.name))
            self.assertEqual((r.status, r.run.outcome), (FAIL, TIMEOUT), r.reason)
            self.assertTrue(r.reason.startswith(
                "timeout: used all %s instructions of its budget" % count(good.budget)),
                r.reason)
            self.assertIn("an endless loop or a deadlock? last lines: ", r.reason)
            # Stopped at its budget, counted from the kernel's start: about 3 times the need
            # plus the allowance.
            self.assertLessEqual(r.run.used, good.budget + max(good.budget // 4, 20000000))
            self.assertGreaterEqual(r.run.used, good.budget)
            # ... in a few times the wall time of a good run (the counts' ratio, with room
            # for a loaded host), not in the minutes of a wall-clock net.
            ratio = r.run.used / normal.run.used
            self.assertLess(r.seconds, 2 * ratio * normal.seconds + 5,
                            "%s: looping %.1f s, normal %.1f s, counts %d vs %d" % (
                                name, r.seconds, normal.seconds, r.run.used,
                                normal.run.used))


if __name__ == "__main__":
    unittest.main()
