"""Gradescope's run, simulated: run_autograder from a real autograder.zip, on a submission
that holds only what `make handin` wrote (or a repository, or nothing usable).  Every run
must end in a results.json that says what happened.  A one-test lab file and a GNUmakefile
that only touches a file stand in for the labs and the kernel, so no emulator runs."""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

LAB = '''import os
from gradelib import check

LAB = 7
TITLE = "Handed in"


@check("handed-in", points=3, boots=False)
def handed_in(t):
    """The submission's make ran in the tree being graded."""
    t.expect(os.path.exists(os.path.join(t.config.root, "built")), "make did not run")


@check("not-yet", points=2, boots=False)
def not_yet(t):
    """Fails, so that the score is a part of the total."""
    t.expect(False, "not written yet")
'''

BUILDS = "all:\n\ttouch built\n"
BREAKS = "all:\n\t@echo \"kern/init.c:3:1: error: expected ';'\"; exit 1\n"


def _write(path, text):
    with open(path, "wb" if isinstance(text, bytes) else "w") as f:
        f.write(text)


def _run(command, cwd, env=None):
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env)
    return done.returncode, done.stdout


class GradescopeTest(unittest.TestCase):
    def setUp(self):
        self.base = tempfile.mkdtemp(prefix="fluke-gradescope-")
        self.addCleanup(shutil.rmtree, self.base, True)
        status, out = _run([sys.executable, os.path.join(ROOT, "grade", "autograder.py"),
                            "zip", "--lab", "7", os.path.join(self.base, "autograder.zip")],
                           ROOT)
        self.assertEqual(status, 0, out)
        source = os.path.join(self.base, "source")
        with zipfile.ZipFile(os.path.join(self.base, "autograder.zip")) as zf:
            zf.extractall(source)
        for name in os.listdir(os.path.join(source, "grade")):
            if name.startswith("lab") and name.endswith(".py"):
                os.remove(os.path.join(source, "grade", name))
        self.lab(LAB)
        self.submission = os.path.join(self.base, "submission")
        os.makedirs(self.submission)

    def lab(self, text):
        _write(os.path.join(self.base, "source", "grade", "lab7.py"), text)

    def handin(self, makefile=BUILDS):
        """A student repository with makefile, handed in with tools/handin.sh; returns the
        commit and handin.sh's output.  handin.tar.gz goes to the submission, alone."""
        if not shutil.which("git"):
            self.skipTest("git is not installed")
        repo = os.path.join(self.base, "repo")
        os.makedirs(os.path.join(repo, "tools"))
        shutil.copy(os.path.join(ROOT, "tools", "handin.sh"), os.path.join(repo, "tools"))
        _write(os.path.join(repo, "GNUmakefile"), makefile)
        git = ["git", "-c", "user.name=Student", "-c", "user.email=s@example.org"]
        for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "lab work"]):
            status, out = _run(git + command, repo)
            self.assertEqual(status, 0, out)
        _write(os.path.join(repo, "notes.txt"), "not committed\n")
        status, out = _run(["sh", "tools/handin.sh"], repo)
        self.assertEqual(status, 0, out)
        shutil.move(os.path.join(repo, "handin.tar.gz"), self.submission)
        commit = _run(["git", "rev-parse", "HEAD"], repo)[1].strip()
        return commit, out

    def gradescope(self):
        """Run run_autograder as Gradescope does; returns results.json and the log."""
        env = dict(os.environ, FLUKE_AUTOGRADER=self.base)
        status, out = _run(["bash", os.path.join(self.base, "source", "run_autograder")],
                           self.base, env)
        self.assertEqual(status, 0, out)
        with open(os.path.join(self.base, "results", "results.json")) as f:
            return json.load(f), out

    def test_only_the_handin_tarball(self):
        commit, said = self.handin()
        self.assertIn("NOT handed in", said)
        self.assertIn("notes.txt", said)
        self.assertIn("handouts/grading.md", said)
        results, log = self.gradescope()
        self.assertEqual(results["score"], 3, results)
        tests = {t["name"]: t for t in results["tests"]}
        self.assertEqual(tests["lab 7: handed-in"]["status"], "passed")
        self.assertEqual((tests["lab 7: not-yet"]["score"], tests["lab 7: not-yet"]["max_score"]),
                         (0, 2))
        self.assertIn("grading handin.tar.gz (commit %s)" % commit[:12], log)
        tree = os.path.join(self.base, "unpacked", "handin")
        self.assertFalse(os.path.exists(os.path.join(tree, "notes.txt")))
        self.assertTrue(os.path.exists(os.path.join(tree, "tools", "emulator.py")))

    def test_a_repository_is_graded_where_it_is(self):
        _write(os.path.join(self.submission, "GNUmakefile"), BUILDS)
        results, log = self.gradescope()
        self.assertEqual(results["score"], 3, results)
        self.assertIn("the repository as submitted", log)

    def test_the_students_own_tests_are_never_used(self):
        """The submission's grade/ (its own tests, all passing) is replaced by the course's
        before the build, and again after a build that rewrites it."""
        cheat = LAB.replace('t.expect(False, "not written yet")', 'pass')
        os.makedirs(os.path.join(self.submission, "grade"))
        _write(os.path.join(self.submission, "grade", "lab7.py"), cheat)
        _write(os.path.join(self.submission, "cheat.py"), cheat)
        _write(os.path.join(self.submission, "GNUmakefile"),
               BUILDS + "\tcp cheat.py grade/lab7.py\n\tcp cheat.py ../source/grade/lab7.py\n")
        results, log = self.gradescope()
        self.assertEqual(results["score"], 3, results)
        self.assertIn("the course's grade, tools/emulator.py, tools/fluke_image.py replace",
                      log)
        with open(os.path.join(self.submission, "grade", "lab7.py")) as f:
            self.assertNotEqual(f.read(), cheat)

    def test_the_classroom_workflow_grades_with_the_courses_branch(self):
        status, out = _run([sys.executable, os.path.join(ROOT, "grade", "autograder.py"),
                            "classroom", "--lab", "0", "--course", "staff/fluke"], ROOT)
        self.assertEqual(status, 0, out)
        steps = out.split("\n      - ")
        checkout = [i for i, s in enumerate(steps) if "repository: staff/fluke" in s]
        build = steps.index("run: make")
        first_test = next(i for i, s in enumerate(steps) if "command: python3 grade/" in s)
        self.assertTrue(checkout and "ref: lab0" in steps[checkout[0]], out[:800])
        overlays = [i for i, s in enumerate(steps) if "autograder.py overlay .course ." in s]
        self.assertEqual(len(overlays), 2, out[:800])
        self.assertTrue(checkout[0] < overlays[0] < build < overlays[1] < first_test)
        tree = os.path.join(self.base, "tree")
        os.makedirs(os.path.join(tree, "grade"))
        _write(os.path.join(tree, "grade", "lab7.py"), "mine\n")
        status, out = _run([sys.executable, os.path.join(ROOT, "grade", "autograder.py"),
                            "overlay", os.path.join(self.base, "source"), tree], ROOT)
        self.assertEqual(status, 0, out)
        with open(os.path.join(tree, "grade", "lab7.py")) as f:
            self.assertEqual(f.read(), LAB)

    def test_a_build_failure_scores_zero_with_the_compiler_output(self):
        self.handin(BREAKS)
        results, _ = self.gradescope()
        self.assertEqual((results["score"], results["tests"]), (0, []))
        self.assertIn("does not build", results["output"])
        self.assertIn("kern/init.c:3:1: error: expected ';'", results["output"])

    def test_nothing_to_grade_says_what_to_upload(self):
        _write(os.path.join(self.submission, "lab.c"), "int x;\n")
        results, _ = self.gradescope()
        self.assertEqual(results["score"], 0)
        self.assertIn("no Fluke tree and no handin.tar.gz (it holds: lab.c)", results["output"])
        self.assertIn("make handin", results["output"])

    def test_an_unreadable_archive(self):
        _write(os.path.join(self.submission, "handin.tar.gz"), b"not gzip at all")
        results, _ = self.gradescope()
        self.assertIn("handin.tar.gz is not a readable archive", results["output"])

    def test_an_archive_that_escapes_is_refused(self):
        with tarfile.open(os.path.join(self.submission, "handin.tar.gz"), "w:gz") as tar:
            for name in ("handin/GNUmakefile", "../escaped"):
                info = tarfile.TarInfo(name)
                info.size = len(BUILDS)
                tar.addfile(info, io.BytesIO(BUILDS.encode()))
        results, _ = self.gradescope()
        self.assertIn("'../escaped', which points outside the archive", results["output"])
        self.assertFalse(os.path.exists(os.path.join(self.base, "escaped")))

    def test_a_grader_that_stops_still_writes_results(self):
        self.handin()
        self.lab("LAB = 7\nTITLE = 'Broken'\ntest(\n")
        results, _ = self.gradescope()
        self.assertEqual(results["score"], 0)
        self.assertIn("The grader stopped (exit status 2)", results["output"])
        self.assertIn("grade/lab7.py", results["output"])

    def test_the_shell_writes_results_when_python_can_not(self):
        _write(os.path.join(self.base, "source", "grade", "autograder.py"),
               "raise SystemExit(3)\n")
        results, _ = self.gradescope()
        self.assertEqual(results["score"], 0)
        self.assertIn("The autograder stopped (exit status 3)", results["output"])


if __name__ == "__main__":
    unittest.main()
