"""tools/emulator.py: what an interactive run's exit status says (make qemu-nox)."""
import unittest

import gradelib  # noqa: F401  (puts tools/ on the import path)
import emulator


class RunStatusTest(unittest.TestCase):
    def test_qemu_clean_shutdown_succeeds(self):
        self.assertEqual(emulator.run_status("qemu", 1), 0)     # END status=0

    def test_qemu_reports_the_kernels_end_status(self):
        self.assertEqual(emulator.run_status("qemu", 3), 1)     # panic
        self.assertEqual(emulator.run_status("qemu", 7), 3)     # the first task failed

    def test_qemu_own_failures_pass_through(self):
        self.assertEqual(emulator.run_status("qemu", 0), 0)     # Ctrl-a x, or a triple fault
        self.assertEqual(emulator.run_status("qemu", 2), 2)

    def test_bochs_quit_after_shutdown_succeeds(self):
        self.assertEqual(emulator.run_status("bochs", 1), 0)
        self.assertEqual(emulator.run_status("bochs", 127), 127)


if __name__ == "__main__":
    unittest.main()
