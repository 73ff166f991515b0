"""obj/boot.conf follows the folders of monitors/ (monitors/Makefrag): a monitor folder
added or removed changes it on the next make, and a make that changes nothing leaves it
alone (so the boot file system is not rebuilt for nothing)."""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class BootConfTest(unittest.TestCase):
    def setUp(self):
        if not shutil.which("make"):
            self.skipTest("no make")
        self.dir = tempfile.mkdtemp(prefix="bootconf.")
        self.addCleanup(shutil.rmtree, self.dir)
        with open(os.path.join(self.dir, "wrap.mk"), "w") as f:
            f.write("OBJDIR := obj\nV := @\nFORCE:\ninclude %s/monitors/Makefrag\n" % ROOT)
        for name in ("root", "nest"):
            os.makedirs(os.path.join(self.dir, "monitors", name))

    def _conf(self):
        subprocess.run(["make", "-s", "-f", "wrap.mk", "obj/boot.conf"], cwd=self.dir,
                       check=True, stdout=subprocess.DEVNULL)
        path = os.path.join(self.dir, "obj", "boot.conf")
        with open(path) as f:
            return [s for s in f.read().splitlines() if s.startswith("monitors=")], \
                os.stat(path).st_mtime_ns

    def test_a_new_monitor_folder_is_listed_on_the_next_make(self):
        self.assertEqual(self._conf()[0], ["monitors=nest"])
        os.makedirs(os.path.join(self.dir, "monitors", "trace"))
        self.assertEqual(self._conf()[0], ["monitors=nest,trace"])
        os.rmdir(os.path.join(self.dir, "monitors", "nest"))
        self.assertEqual(self._conf()[0], ["monitors=trace"])

    def test_an_unchanged_list_leaves_the_file_alone(self):
        _, first = self._conf()
        os.utime(os.path.join(self.dir, "obj", "boot.conf"), ns=(1, 1))
        _, second = self._conf()
        self.assertEqual(second, 1, "boot.conf was rewritten though nothing changed")
        self.assertNotEqual(first, second)
