"""The boot file system follows the program and monitor folders: in a scratch copy of the
built tree, a program folder (user/bin/NAME) or monitor folder (monitors/NAME) added is in
obj/bootfs.img (and a monitor in boot.conf's monitors=) after the next make, and once the
folder is removed, the next make drops it from both (user/Makefrag, monitors/Makefrag)."""
import os
import shutil
import subprocess
import tempfile
import unittest

from gradelib.loader import bootfs_names

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAM = "/* A program that only exits, for test_bootfs_follows. */\nint main(void)\n" \
          "{\n\treturn 0;\n}\n"


class BootfsFollowsTest(unittest.TestCase):
    def setUp(self):
        if not shutil.which("make"):
            self.skipTest("no make")
        if not os.path.exists(os.path.join(ROOT, "obj", "bootfs.img")):
            self.skipTest("the tree is not built (run make)")
        self.dir = tempfile.mkdtemp(prefix="bootfs-follows.")
        self.addCleanup(shutil.rmtree, self.dir)
        self.tree = os.path.join(self.dir, "tree")
        shutil.copytree(ROOT, self.tree, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "grade", "run"))

    def make(self):
        done = subprocess.run(["make", "-s", "-j2", "all"], cwd=self.tree,
                              env={k: v for k, v in os.environ.items()
                                   if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        self.assertEqual(done.returncode, 0, done.stdout.decode(errors="replace"))
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
