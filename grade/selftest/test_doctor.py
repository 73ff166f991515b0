"""tools/doctor.py: which tools each make target makes `make setup` check."""
import unittest

import gradelib  # noqa: F401  (puts tools/ on the import path)
import doctor


class NeedsTest(unittest.TestCase):
    def test_a_qemu_run_needs_neither_bochs_nor_gdb(self):
        for goal in ("qemu-nox", "run-hello", "bench"):
            self.assertEqual(doctor.needs_for([goal]), {"compiler", "binutils", "qemu"}, goal)

    def test_debugging_needs_gdb(self):
        for goal in ("grade-debug", "qemu-nox-gdb", "gdb"):
            self.assertIn("gdb", doctor.needs_for([goal]), goal)

    def test_grading_and_unknown_goals_need_everything(self):
        for goals in (["test"], ["grade-lab3"], [], ["something-else"]):
            self.assertEqual(doctor.needs_for(goals), set(doctor.EVERYTHING), goals)

    def test_messages_name_targets_as_typed(self):
        self.assertIn("run-NAME", doctor.targets_needing("qemu"))
        self.assertIn("grade-labN", doctor.targets_needing("bochs"))


if __name__ == "__main__":
    unittest.main()
