"""tools/doctor.py's gdb check: .gdbinit's commands are GDB Python (tools/gdb/fluke.py), so
a gdb built without Python is reported, with the reason, before `make gdb` would fail."""
import os
import shutil
import tempfile
import types
import unittest

import gradelib  # noqa: F401  (puts tools/ on the import path)
import doctor

# A gdb that debugs i386 but, like one built --without-python, refuses `python`.
NO_PYTHON = """#!/bin/sh
for a in "$@"; do
  case "$a" in python*) echo "Python scripting is not supported in this copy of GDB."; exit 1;;
  esac
done
exec %s "$@"
"""


@unittest.skipUnless(shutil.which("gdb"), "needs host gdb")
class GdbPythonTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="fluke-doctor-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def check(self, gdb):
        c = doctor.Check("gdb", doctor.check_gdb, ["gdb"], ["i386-elf-gdb"])
        found = c.run(types.SimpleNamespace(gdb=gdb))
        return c, found

    def test_a_gdb_without_python_is_a_problem_that_says_why(self):
        fake = os.path.join(self.dir, "gdb")
        with open(fake, "w") as f:
            f.write(NO_PYTHON % shutil.which("gdb"))
        os.chmod(fake, 0o755)
        c, found = self.check(fake)
        self.assertIsNone(found)
        self.assertIn("has no Python", c.problem or "")
        self.assertIn("tools/gdb/fluke.py", c.problem)

    def test_the_host_gdb_passes(self):
        c, found = self.check("gdb")
        self.assertIsNone(c.problem)
        self.assertIn("GNU gdb", found)


if __name__ == "__main__":
    unittest.main()
