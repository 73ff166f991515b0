"""Declarations and expectations, judged against made-up runs (no emulator)."""
import unittest

from gradelib import Boot, Console, End, NoConsole, Part, Passed, Record
from gradelib.declare import DeclarationError, Test, check_names
from gradelib.bochs import BochsMachine
from gradelib.machine import END, TIMEOUT, Run, count
from gradelib.qemu import QemuMachine
from gradelib.records import Records
from gradelib.runner import FAIL, PASS, Result, _judge

NONCE = "00c0ffee00c0ffee"


def made_up_run(console="", records="", outcome=END, exit_ok=True, used=1000):
    run = Run("qemu", console, Records(records.replace("N ", NONCE + " "), NONCE), 5000)
    run.outcome, run.exit_ok, run.used, run.exact = outcome, exit_ok, used, True
    return run


def judge(test, run):
    result = Result(test, FAIL)
    _judge(result, test, run)
    return result


class DeclareTest(unittest.TestCase):
    def test_run_by_hand_says_a_check_makes_its_own_machines(self):
        import io, contextlib
        from gradelib.interactive import boot_by_hand
        own = Test("own-machines", run=lambda t: None, doc="boots two machines")
        declared = Test("declared", run=lambda t: None, boot=Boot(program="hello"))
        self.assertTrue(own.own_machines)
        self.assertFalse(declared.own_machines)
        self.assertFalse(Test("plain", boot=Boot(program="hello")).own_machines)
        own.lab = 4
        config = type("Config", (), {"artifacts": "/nonexistent/grade"})()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(boot_by_hand(own, config), 2)   # nothing booted
        self.assertIn("boots its machines itself", out.getvalue())
        self.assertIn("boots two machines", out.getvalue())

    def test_command_line_order(self):
        boot = Boot(program="pingpong", args=["3"], monitors=["root", "procmgr", "pager"],
                    ktest=None, keys=["quiet"])
        self.assertEqual(boot.cmdline("ab", 7),
                         "nonce=ab quiet budget=7 stack=procmgr,pager prog=pingpong 3")
        self.assertEqual(Boot(program="hello", monitors=["root"]).cmdline("ab", 7),
                         "nonce=ab budget=7 prog=hello")
        self.assertEqual(Boot(program="kcheck", args=["x"]).cmdline("ab", 7),
                         "nonce=ab budget=7 init=kcheck x")
        with self.assertRaises(DeclarationError) as caught:
            Boot(program="hello", monitors=["nest"])
        self.assertEqual(caught.exception.fix,
                         "start the stack with the root monitor: monitors=['root', 'nest']")
        self.assertEqual(Boot(ktest="fault").cmdline("ab", 7), "nonce=ab budget=7 ktest=fault")

    def test_kernel_means_multiboot(self):
        self.assertTrue(Boot(kernel="/k").multiboot)
        self.assertFalse(Boot().multiboot)

    def test_bad_names_and_points_are_refused(self):
        with self.assertRaises(DeclarationError) as caught:
            Test("Boot QEMU")
        self.assertEqual(caught.exception.fix, "name it 'boot-qemu'")
        self.assertRaises(DeclarationError, Test, "t", points=5, parts=[Part("a", 2)])

    def test_names_after_and_loops_are_checked(self):
        a, b = Test("a", points=1), Test("b", points=1, after="a")
        check_names([a, b])
        self.assertRaisesRegex(DeclarationError, "^two tests are named a$", check_names,
                               [a, b, Test("a", points=1)])
        self.assertRaisesRegex(DeclarationError, "runs after 'c', which is no test",
                               check_names, [a, Test("x", after="c")])
        a.after = ["b"]
        self.assertRaisesRegex(DeclarationError, "in a loop: a runs after b runs after a",
                               check_names, [a, b])

    def test_a_clean_end_is_expected_by_default(self):
        t = Test("t", points=1, expect=[Console("hi")])
        self.assertTrue(any(isinstance(e, End) and e.status == 0 for e in t.expect))
        t = Test("t", points=1, expect=[End(1)])
        self.assertEqual(len(t.expect), 1)

    def test_console_checks(self):
        run = made_up_run(console="Fluke kernel\nhello\n", records="FLUKE N END status=0 tsc=1")
        self.assertIsNone(Console(r"^hello$").check(run))
        self.assertIsNotNone(Console(r"^bye").check(run))
        self.assertIn("'hello'", NoConsole("ell").check(run))

    def test_a_forged_pass_does_not_count(self):
        run = made_up_run(records="FLUKE 1234 PASS a\nFLUKE N END status=0 tsc=1")
        why = Passed("a").check(run)
        self.assertIn("ignored 1 without it", why)
        self.assertIsNotNone(Record("PASS").check(run))

    def test_end_needs_the_emulator_to_exit_as_asked(self):
        run = made_up_run(records="FLUKE N END status=0 tsc=1", exit_ok=False)
        self.assertIn("END status=0, but", End(0).check(run))

    def test_partial_credit(self):
        t = Test("t", parts=[Part("a", 3, [Console("yes")]), Part("b", 2, [Console("no")])])
        r = judge(t, made_up_run(console="yes\n", records="FLUKE N END status=0 tsc=1"))
        self.assertEqual((r.status, r.score, t.points), (FAIL, 3, 5))
        self.assertEqual(r.reason, "expected a console line matching /no/: got no such line "
                                   "among 1 console lines")

    def test_a_bad_end_heads_the_report_and_parts_keep_what_arrived(self):
        t = Test("t", parts=[Part("a", 3, [Console("yes")]), Part("b", 2, [Passed("b")]),
                             Part("c", 1, [NoConsole("panic")])])
        run = made_up_run(console="yes\n", outcome=TIMEOUT, used=9000)
        run.why = "the grader stopped the guest"
        r = judge(t, run)
        self.assertEqual((r.status, r.score), (FAIL, 3))
        self.assertTrue(r.reason.startswith("timeout: the grader stopped the guest (used 9"))
        # c holds only because the run was cut short: it shows nothing the run did.
        self.assertEqual([p[2] for p in r.parts], [3, 0, 0])

    def test_a_pass_record_keeps_its_points_after_a_later_bad_end(self):
        t = Test("t", parts=[Part("a", 2, [Passed("a")]), Part("b", 2, [Passed("b")])])
        r = judge(t, made_up_run(records="FLUKE N PASS a\nFLUKE N END status=3 tsc=1"))
        self.assertEqual((r.status, r.score, r.parts[0][2]), (FAIL, 2, 2))
        self.assertIn("status 3", r.reason)

    def test_a_failed_common_expectation_still_fails_every_part(self):
        t = Test("t", expect=[Console("banner")], parts=[Part("a", 2, [Passed("a")])])
        r = judge(t, made_up_run(records="FLUKE N PASS a\nFLUKE N END status=0 tsc=1"))
        self.assertEqual((r.status, r.score), (FAIL, 0))

    def test_a_pass(self):
        t = Test("t", points=4, expect=[Passed("a")])
        r = judge(t, made_up_run(records="FLUKE N PASS a\nFLUKE N END status=0 tsc=1"))
        self.assertEqual((r.status, r.score), (PASS, 4))

    def test_budget_arithmetic(self):
        self.assertEqual(count(950), "950")
        self.assertEqual(count(31250000), "31.2M")
        self.assertEqual(count(3050000000), "3.05G")
        self.assertEqual(made_up_run(used=4200).usage(), "used 4.2K of 5K")
        booted = made_up_run(used=4200)
        booted.booted = 15700000
        self.assertEqual(booted.usage(), "used 4.2K of 5K after a 15.7M boot")
        for cls, budget, limit in ((QemuMachine, 1000, 20001000),
                                   (QemuMachine, 400000000, 500000000),
                                   (BochsMachine, 50000000, 220000000)):
            m = cls(None, Boot(), "n", budget, 1, "/nonexistent")
            self.addCleanup(m.close)
            self.assertEqual(m.host_limit(), limit)
        bochs = BochsMachine(None, Boot(), "n", 50000000, 1, "/nonexistent")
        self.addCleanup(bochs.close)
        self.assertEqual(bochs.breakpoint(), 3720000000)

    def test_a_budget_counts_from_the_kernels_start(self):
        """The watchdog's limit and the count a run used both start at BOOT's tsc=: what
        the firmware and the boot loader ran (the host's doing) is in no budget."""
        m = QemuMachine(None, Boot(), "n", 1000, 1, "/nonexistent")
        self.addCleanup(m.close)
        self.assertGreaterEqual(m.limit(), 1000000000)  # the boot's own allowance
        self.assertIn("the kernel did not start", m.past_limit())
        m.booted = 147000000
        self.assertEqual(m.limit(), 147000000 + m.host_limit())
        self.assertIn("past its budget", m.past_limit())
        records = Records("FLUKE %s BOOT version=0.1 tsc=147000000\n" % NONCE, NONCE)
        self.assertEqual(records.start(), 147000000)
        self.assertEqual(Records("FLUKE %s BOOT version=fake\n" % NONCE, NONCE).start(), 0)
        self.assertIsNone(Records("", NONCE).start())


if __name__ == "__main__":
    unittest.main()
