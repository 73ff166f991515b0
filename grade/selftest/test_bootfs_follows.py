"""The boot file system follows the program and monitor folders: in a scratch copy of the
built tree, a program folder (user/bin/NAME) or monitor folder (monitors/NAME) added is in
obj/bootfs.img (and a monitor in boot.conf's monitors=) after the next make, and once the
folder is removed, the next make drops it from both (user/Makefrag, monitors/Makefrag)."""
import os
import shutil
import unittest

from gradelib.loader import bootfs_names

from selftest.scratch import make, scratch_tree

PROGRAM = "/* A program that only exits, for test_bootfs_follows. */\nint main(void)\n" \
          "{\n\treturn 0;\n}\n"


class BootfsFollowsTest(unittest.TestCase):
    def setUp(self):
        self.tree = scratch_tree(self, "bootfs.img")

    def make(self):
        make(self, self.tree, "-s", "-j2", "all")
        with open(os.path.join(self.tree, "obj", "boot.conf")) as f:
            monitors = [s for s in f.read().splitlines() if s.startswith("monitors=")]
        return bootfs_names(os.path.join(self.tree, "obj", "bootfs.img")), monitors

    def add(self, folder):
        path = os.path.join(self.tree, folder)
        os.makedirs(path)
        with open(os.path.join(path, os.path.basename(folder) + ".c"), "w") as f:
            f.write(PROGRAM)
        return path

    def test_a_program_folder_added_then_removed(self):
        folder = self.add("user/bin/zzstale")
        names, _ = self.make()
        self.assertIn("zzstale", names)
        shutil.rmtree(folder)
        names, _ = self.make()
        self.assertNotIn("zzstale", names, "a removed program stays in the boot file system")
        self.assertIn("sh", names)

    def test_a_monitor_folder_added_then_removed(self):
        folder = self.add("monitors/zzmon")
        names, monitors = self.make()
        self.assertIn("zzmon", names)
        self.assertIn("zzmon", monitors[0].split("=")[1].split(","))
        shutil.rmtree(folder)
        names, monitors = self.make()
        self.assertNotIn("zzmon", names, "a removed monitor stays in the boot file system")
        self.assertNotIn("zzmon", monitors[0])
