"""Loading lab files: each way a lab file can be wrong is one message that names the file
and line, says what is wrong and how to fix it; grade.py exits 2 with it, no traceback.
And the messages for a lab or test that does not exist, and for a program the boot file
system does not hold."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

from gradelib import Boot, End
from gradelib.declare import Test
from gradelib.loader import BOOTFS_MAGIC, LabError, load, unknown_programs
import grade

HERE = os.path.dirname(os.path.abspath(__file__))
GRADE = os.path.dirname(HERE)

HEAD = "from gradelib import Boot, test\nLAB = 1\nTITLE = 'One'\n"


class LoaderTest(unittest.TestCase):
    def labs(self, files):
        """Load the lab files {name: text} from a fresh folder; returns the LabError's
        message with the folder's name taken out."""
        root = tempfile.mkdtemp(prefix="fluke-labs-")
        self.addCleanup(shutil.rmtree, root, True)
        here = os.path.join(root, "grade")
        os.makedirs(here)
        for name, text in files.items():
            with open(os.path.join(here, name), "w") as f:
                f.write(text)
        with self.assertRaises(LabError) as caught:
            load(here, root)
        return str(caught.exception)

    def test_two_tests_of_one_name_in_two_files(self):
        text = self.labs({"lab0.py": HEAD.replace("1", "0") + "test('boot-qemu', points=1)\n",
                          "lab1.py": HEAD + "\ntest('boot-qemu', points=2)\n"})
        self.assertEqual(text.splitlines(), [
            "grade/lab1.py, line 5: two tests are named boot-qemu (the other: grade/lab0.py, "
            "line 4)",
            "    5 | test('boot-qemu', points=2)",
            "fix: rename one of them: test names are unique across every lab"])

    def test_a_test_declared_twice_through_a_helper(self):
        text = self.labs({"lab1.py": HEAD + "def t(name):\n    test(name, points=1)\n"
                                            "t('a')\nt('b')\nt('a')\n"})
        self.assertTrue(text.startswith("grade/lab1.py, line 8: two tests are named a (the "
                                        "other: grade/lab1.py, line 6)"), text)

    def test_a_file_without_lab_and_title(self):
        text = self.labs({"lab3.py": "from gradelib import test\ntest('x', points=1)\n"})
        self.assertTrue(text.startswith("grade/lab3.py: sets no LAB and no TITLE\nfix: "), text)
        self.assertIn('LAB = <lab number> and TITLE = "', text)
        self.assertIn("no TITLE", self.labs({"lab3.py": "LAB = 3\n"}))
        self.assertIn("LAB = '3' is no lab number", self.labs({"lab3.py": "LAB = '3'\n"
                                                                          "TITLE = 'x'\n"}))

    def test_a_stack_that_does_not_start_with_root(self):
        text = self.labs({"lab1.py": HEAD + "test('x', points=1,\n"
                                            "     boot=Boot(monitors=['nest']))\n"})
        self.assertRegex(text, r"^grade/lab1\.py, line [45]: Boot\(monitors=\['nest'\]\): "
                               r"the first monitor is always root\n")
        self.assertTrue(text.endswith("fix: start the stack with the root monitor: "
                                      "monitors=['root', 'nest']"), text)

    def test_a_syntax_error(self):
        text = self.labs({"lab1.py": HEAD + "test('x', points=1\n"})
        self.assertTrue(text.startswith("grade/lab1.py, line 4: syntax error: "), text)
        self.assertIn("    4 | test('x', points=1\n", text)
        self.assertIn("python3 -m py_compile grade/lab1.py", text)

    def test_import_and_name_errors(self):
        text = self.labs({"lab1.py": "from gradelib import Boot, Bot\n"})
        self.assertTrue(text.startswith("grade/lab1.py, line 1: ImportError: cannot import "
                                        "name 'Bot'"), text)
        self.assertIn("fix: import only what gradelib provides: Boot, Console", text)
        text = self.labs({"lab1.py": "from gradelib import test\nLAB = 1\nTITLE = 'One'\n"
                                     "test('x', boot=Boot())\n"})
        self.assertTrue(text.startswith("grade/lab1.py, line 4: NameError: "), text)
        self.assertIn("fix: define Boot in the file, or import it", text)

    def test_an_option_that_does_not_exist(self):
        text = self.labs({"lab1.py": HEAD + "test('x', pionts=3)\n"})
        self.assertIn("unexpected keyword argument 'pionts'", text)
        self.assertIn("(did you mean points?)", text)

    def test_after_names_no_test_or_loops(self):
        text = self.labs({"lab1.py": HEAD + "test('boot', points=1)\n"
                                            "test('x', points=1, after='bot')\n"})
        self.assertTrue(text.startswith("grade/lab1.py, line 5: test x runs after 'bot', "
                                        "which is no test (did you mean boot?)"), text)
        text = self.labs({"lab1.py": HEAD + "test('a', after='c')\ntest('b', after='a')\n"
                                            "test('c', after='b')\n"})
        self.assertIn("tests wait for each other in a loop: a runs after c runs after b runs "
                      "after a", text)

    def test_grade_py_exits_2_without_a_traceback(self):
        root = tempfile.mkdtemp(prefix="fluke-labs-")
        self.addCleanup(shutil.rmtree, root, True)
        here = os.path.join(root, "grade")
        shutil.copytree(os.path.join(GRADE, "gradelib"), os.path.join(here, "gradelib"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.path.join(GRADE, "grade.py"), here)
        os.makedirs(os.path.join(root, "tools"))
        for name in ("emulator.py", "fluke_image.py"):      # gradelib imports them
            shutil.copy(os.path.join(os.path.dirname(GRADE), "tools", name),
                        os.path.join(root, "tools"))
        with open(os.path.join(here, "lab1.py"), "w") as f:
            f.write(HEAD + "test('x', points=1, boot=Boot(monitors=['nest']))\n")
        done = subprocess.run([sys.executable, os.path.join(here, "grade.py"), "--list"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        self.assertTrue(done.stderr.startswith("grade.py: a lab file can not be used:\n"
                                               "grade/lab1.py, line 4: Boot(monitors="),
                        done.stderr)


def bootfs(path, names):
    """A boot file system archive (handouts/boot.md section 3) of empty files."""
    data = struct.pack("<4I", BOOTFS_MAGIC, 1, len(names), 16 + 64 * len(names))
    for name in names:
        data += name.encode().ljust(56, b"\0") + struct.pack("<II", 0, 0)
    with open(path, "wb") as f:
        f.write(data)


def declared(name, boot, **options):
    t = Test(name, points=1, boot=boot, **options)
    t.where = "grade/lab1.py, line 9"
    return t


class ProgramsTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="fluke-bootfs-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.image = os.path.join(self.root, "bootfs.img")
        bootfs(self.image, ["boot.conf", "hello", "nest", "root"])

    def test_a_program_the_boot_file_system_lacks(self):
        tests = [declared("a", Boot(program="helo")),
                 declared("b", Boot(program="hello", monitors=["root", "nets:direct"])),
                 declared("c", Boot(program="hello", monitors=["root", "nest"]))]
        self.assertEqual(unknown_programs(tests, self.image, self.root), [
            "grade/lab1.py, line 9: test a boots program 'helo', which is not in bootfs.img "
            "(did you mean hello?), so it can not pass; the programs there: hello, nest, root",
            "grade/lab1.py, line 9: test b boots monitor 'nets', which is not in bootfs.img "
            "(did you mean nest?), so it can not pass; the programs there: hello, nest, root"])

    def test_a_test_that_expects_the_failure_is_left_alone(self):
        tests = [declared("a", Boot(program="nosuch"), expect=[End(3)]),
                 declared("b", Boot(program="nosuch", kernel="/other/kernel"))]
        self.assertEqual(unknown_programs(tests, self.image, self.root), [])

    def test_without_a_boot_file_system_the_folders_say(self):
        for folder in ("user/bin/hello", "user/lib", "monitors/root"):
            os.makedirs(os.path.join(self.root, folder))
        out = unknown_programs([declared("a", Boot(program="lib"))],
                               os.path.join(self.root, "none.img"), self.root)
        self.assertEqual(len(out), 1)
        self.assertIn("which is not among the folders of user/bin, user/test and monitors/, so it "
                      "can not "
                      "pass; the programs there: hello, root", out[0])


class NamesTest(unittest.TestCase):
    LABS = [(0, "The platform"), (0, "The kernel API"), (1, "Monitors")]

    def test_no_such_lab_lists_the_labs(self):
        self.assertEqual(grade.no_lab(7, self.LABS),
                         "grade.py: there is no lab 7; the labs are lab 0 (The platform, The "
                         "kernel API) and lab 1 (Monitors): `make grade-lab1` grades lab 1")

    def test_no_such_test_names_the_nearest_and_the_make_command(self):
        tests = [Test("boot-qemu", points=1), Test("boot-bochs", points=1)]
        self.assertEqual(grade.no_test("boot-qem", tests),
                         "grade.py: no test 'boot-qem' (did you mean boot-qemu?); `make "
                         "grade-debug` (with no TEST=) lists every test")
        self.assertNotIn("did you mean", grade.no_test("zzz", tests))


if __name__ == "__main__":
    unittest.main()
