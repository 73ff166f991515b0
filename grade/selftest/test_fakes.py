"""The grader against fake kernels under QEMU: each way a kernel can pass, fail, forge,
hang or crash must be reported as exactly that."""
import re
import unittest

from gradelib import Console, Deadlock, End, Part, Passed
from gradelib.context import Context
from gradelib.machine import DEADLOCK, END, HANG, TIMEOUT, TRIPLE, WALL
from gradelib.report import console_excerpt, rerun_heading
from gradelib.runner import FAIL, PASS, SKIP, rerun_failures, run_all, run_test
from selftest import fakes


class FakeKernelTest(unittest.TestCase):
    def test_a_correct_kernel_passes(self):
        r = fakes.grade("pass", expect=[Console("hello from user space"), Passed("fake")])
        self.assertEqual((r.status, r.score), (PASS, 1), r.reason)
        self.assertTrue(r.run.exact and 0 < r.run.used < r.run.budget)

    def test_runs_are_deterministic(self):
        first, second = fakes.grade("pass"), fakes.grade("pass")
        self.assertEqual(first.run.records.tsc(), second.run.records.tsc())

    def test_records_without_the_nonce_never_pass(self):
        r = fakes.grade("forge")
        self.assertEqual((r.status, r.score), (FAIL, 0))
        self.assertIn("no END record", r.reason)
        self.assertEqual(len(r.run.records.stray), 4)      # wrong nonce, and none at all
        self.assertIn("PASS fake", r.run.console)          # the console's copy is ignored
        self.assertIn("ignored", dict(r.mismatches)["PASS fake"])

    def test_a_program_failure_shows_its_reason(self):
        r = fakes.grade("fail")
        self.assertEqual(r.status, FAIL)
        self.assertIn("status 3 (the first task exited with an error)", r.reason)
        self.assertIn("FAIL fake expected 42, got 41", dict(r.mismatches)["PASS fake"])

    def test_a_panic_is_reported_and_symbolized(self):
        r = fakes.grade("panic")
        self.assertEqual(r.reason, "kernel panic: deliberate panic")
        _, lines = console_excerpt(r, fakes.config())
        self.assertTrue(any("<fake_panic_site+0x0" in s for s in lines), lines)

    def test_an_expected_panic_passes(self):
        r = fakes.grade("panic", expect=[Console("Page Fault"), End(1)])
        self.assertEqual(r.status, PASS, r.reason)

    def test_a_spinning_kernel_times_out_with_its_count(self):
        r = fakes.grade("spin", budget=30000000)
        self.assertEqual((r.status, r.run.outcome), (FAIL, TIMEOUT))
        self.assertTrue(r.run.exact and r.run.used > 30000000)
        self.assertRegex(r.reason, r"^timeout: used all 30M instructions of its budget \(the "
                                   r"grader stopped the guest past its budget\): an endless "
                                   r"loop or a deadlock\? last lines: \"Fluke kernel")
        self.assertRegex(r.run.usage(), r"^used [0-9.]+M of 30M$")

    def test_a_looping_guest_is_reported_as_having_used_its_budget(self):
        """A guest that loops after its check passed: the report says it used its whole
        budget and quotes the console's last lines, escaped; the passed part keeps its
        points."""
        r = fakes.grade("loop", budget=40000000, expect=[], points=3, parts=[
            Part("passes", 2, [Passed("fake")]), Part("finishes", 1, [Passed("never")])])
        self.assertEqual((r.status, r.run.outcome, r.score), (FAIL, TIMEOUT, 2))
        self.assertEqual(r.reason, 'timeout: used all 40M instructions of its budget (the '
                         'grader stopped the guest past its budget): an endless loop or a '
                         'deadlock? last lines: "Fluke kernel (fake, for the grader\'s '
                         'self-tests)" / "hello from user space" / '
                         '"fake: waiting\\x09for \\x1b[1mever\\x1b[0m"')

    def test_a_part_keeps_its_points_after_a_later_bad_end(self):
        r = fakes.grade("late", expect=[], points=3, parts=[
            Part("passes", 2, [Passed("fake")]), Part("finishes", 1, [Passed("never")])])
        self.assertEqual((r.status, r.score), (FAIL, 2))
        self.assertIn("status 3 (the first task exited with an error)", r.reason)
        self.assertEqual([p[2] for p in r.parts], [2, 0])

    def test_a_kernel_timeout_record_is_a_timeout(self):
        r = fakes.grade("timeout")
        self.assertEqual(r.run.outcome, TIMEOUT)
        self.assertIn("the kernel stopped itself", r.reason)

    def test_finishing_past_the_budget_is_a_timeout(self):
        r = fakes.grade("pass", budget=1000000)       # the fake needs about 8 million
        self.assertEqual((r.status, r.run.outcome), (FAIL, TIMEOUT))
        self.assertIn("past its budget", r.reason)

    def test_a_triple_fault_is_reported_as_one(self):
        r = fakes.grade("triple")
        self.assertEqual((r.status, r.run.outcome), (FAIL, TRIPLE))
        self.assertTrue(r.reason.startswith("triple fault"))

    def test_a_halted_kernel_is_a_hang(self):
        r = fakes.grade("halt")
        self.assertEqual((r.status, r.run.outcome), (FAIL, HANG))
        self.assertIn("the CPU halted with interrupts disabled", r.reason)
        self.assertLess(r.seconds, 10)

    def test_the_kernels_deadlock_report_is_the_verdict(self):
        r = fakes.grade("deadlock")
        self.assertEqual((r.status, r.run.outcome, r.run.end_status()), (FAIL, END, 4))
        self.assertTrue(r.reason.startswith(
            "deadlock: every thread is blocked: thread 0000000a (fake, space 00000005, eip "
            "00001000) waits for mutex 0000000c, held by thread 0000000b (fake); thread "
            "0000000b "), r.reason)
        self.assertEqual(fakes.grade("deadlock", expect=[Deadlock(r"held by thread 0+a")]
                                     ).status, PASS)

    def test_an_idle_guest_with_no_input_to_come_is_a_deadlock_at_once(self):
        r = fakes.grade("idle", budget=10 ** 12, wall=60)
        self.assertEqual((r.status, r.run.outcome), (FAIL, DEADLOCK))
        self.assertTrue(r.reason.startswith("deadlock: every thread is blocked: thread "
                                            "0000000a (fake, space 00000005, eip 00001000) "
                                            "waits for console input"), r.reason)
        self.assertLess(r.seconds, 10)

    def test_the_wall_clock_safety_net(self):
        r = fakes.grade("spin", budget=10 ** 12, wall=1)
        self.assertEqual((r.status, r.run.outcome), (FAIL, WALL))
        self.assertTrue(r.run.used > 0 and r.run.exact)

    def test_bochs_skips_what_it_can_not_boot(self):
        t = fakes.fake_test("pass", emulator="bochs")
        self.assertEqual(run_test(t, fakes.config(), fakes.workdir(t.name)).status, SKIP)

    def test_dependents_of_a_failure_do_not_run(self):
        bad = fakes.fake_test("fail", name="fake-first")
        after = fakes.fake_test("pass", name="fake-second", after="fake-first")
        seen = []
        results = run_all([after, bad], fakes.config(), 2, seen.append)
        self.assertEqual([r.name for r in seen], ["fake-first", "fake-second"])
        self.assertEqual(results[0].reason, "not run: it needs fake-first, which failed")
        self.assertIn("rerunning 1 failing test 1 time each; not rerunning 1 that never ran",
                      rerun_heading(results, 1))
        rerun_failures(results, fakes.config(), 1, 2)
        self.assertEqual([r.flaky for r in results], [
            "not rerun: it never ran, since it needs fake-first, which failed",
            "fails every time (1 of 1 reruns): a deterministic failure"])

    def test_reruns_tell_a_deterministic_failure(self):
        r = fakes.grade("fail")
        rerun_failures([r], fakes.config(), 2, 2)
        self.assertEqual(r.flaky, "fails every time (2 of 2 reruns): a deterministic failure")


class FakeKernelDebugTest(unittest.TestCase):
    def boot(self, mode="spin"):
        t = fakes.fake_test(mode, gdb=True)
        context = Context(t, fakes.config(), fakes.workdir(t.name))
        self.addCleanup(context.close)
        return context, context.machine(gdb=True)

    def test_the_remote_protocol_client(self):
        context, m = self.boot()
        g = m.rsp()
        self.addCleanup(g.close)
        spin = context.symbol("mode_spin", fakes.kernel())
        self.assertEqual(g.registers()["eip"], 0xFFF0)     # halted at the reset vector
        g.set_break(spin)
        self.assertEqual(g.cont(), 5)
        self.assertEqual(g.registers()["eip"], spin)
        cmdline = g.read_string(g.read_u32(context.symbol("cmdline", fakes.kernel())))
        self.assertIn("nonce=" + context.nonce, cmdline.split())

    def test_host_gdb_in_batch_mode(self):
        context, m = self.boot()
        out = m.gdb_batch(["break *mode_spin", "continue", r'printf "eip=%#x\n", $eip'],
                          kernel=fakes.kernel())
        eip = re.search(r"^eip=(0x[0-9a-f]+)$", out, re.M)
        self.assertTrue(eip, out)
        self.assertEqual(int(eip.group(1), 16), context.symbol("mode_spin", fakes.kernel()))


if __name__ == "__main__":
    unittest.main()
