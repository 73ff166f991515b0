"""The lab machinery (labs/README.md): the marker parser, the generator's exports and
branches, the secrecy of the student trees, and the grader's reference layers."""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "labs"))
import generate  # noqa: E402
import markers  # noqa: E402

from gradelib import layers  # noqa: E402
from gradelib.declare import Boot, Test  # noqa: E402

C_SOURCE = textwrap.dedent("""\
    int f(void)
    {
    \t/* LAB 1: BEGIN SOLUTION */
    \treturn 42;
    \t/* LAB 1: SKELETON */
    \t//| /* LAB 1: your code here */
    \t//| return 0;
    \t/* LAB 1: END */
    }
    // LAB 2: BEGIN GIVEN
    int g(void) { return 2; }
    // LAB 2: END
    /* STAFF: BEGIN */
    int staff_only;
    /* STAFF: END */
    """)


def _skeleton_lab1(text):
    return markers.render(markers.parse(text), 1, 0)


class MarkerTest(unittest.TestCase):
    def test_c_skeleton_solution_and_later_labs(self):
        pieces = markers.parse(C_SOURCE, "f.c")
        self.assertEqual(markers.render(pieces, 1, 0),
                         "int f(void)\n{\n\t/* LAB 1: your code here */\n\treturn 0;\n}\n")
        self.assertEqual(markers.render(pieces, 1, 1), "int f(void)\n{\n\treturn 42;\n}\n")
        self.assertEqual(markers.render(pieces, 2, 0),
                         "int f(void)\n{\n\t/* LAB 1: your code here */\n\treturn 0;\n}\n"
                         "int g(void) { return 2; }\n")
        self.assertEqual(markers.render(pieces, 2, 1),
                         "int f(void)\n{\n\treturn 42;\n}\nint g(void) { return 2; }\n")

    def test_python_make_and_markdown_comments(self):
        py = "x = 1\n# LAB 1: BEGIN SOLUTION\ny = 2\n# LAB 1: SKELETON\n#| y = None\n" \
             "# LAB 1: END\n"
        self.assertEqual(_skeleton_lab1(py), "x = 1\ny = None\n")
        md = "Intro\n<!-- LAB 1: BEGIN SOLUTION -->\nThe answer.\n<!-- LAB 1: SKELETON -->\n" \
             "<!--| Your answer here. -->\n<!--| -->\n<!-- LAB 1: END -->\n"
        self.assertEqual(_skeleton_lab1(md), "Intro\nYour answer here.\n\n")
        asm = "\t/* LAB 1: BEGIN SOLUTION */\n\tmovl $1, %eax\n\t/* LAB 1: SKELETON */\n" \
              "\t//| xorl %eax, %eax\n\t/* LAB 1: END */\n\tret\n"
        self.assertEqual(_skeleton_lab1(asm), "\txorl %eax, %eax\n\tret\n")

    def test_bad_markers_name_the_line_and_the_fix(self):
        cases = [
            ("/* LAB 1: BEGIN SOLUTION */\n/* LAB 1: BEGIN SOLUTION */\n", 2, "nest"),
            ("a\n/* LAB 1: BEGIN SOLUTION */\nb\n", 2, "never closed"),
            ("/* LAB 1: END */\n", 1, "no block open"),
            ("/* LAB 1: SKELETON */\n", 1, "outside a solution"),
            ("/* LAB 1: BEGIN SOLUTION */\n/* LAB 1: SKELETON */\nreturn 0;\n"
             "/* LAB 1: END */\n", 3, "would compile"),
            ("/* LAB 1: BEGIN SOLUTION */\n/* LAB 2: END */\n", 2, "does not close"),
            ("/* LAB1: BEGIN SOLUTION */\n", 1, "looks like a marker"),
            ("# STAFF: BEGIN\n# LAB 1: END\n", 2, "does not close"),
        ]
        for text, line, words in cases:
            with self.assertRaises(markers.MarkerError, msg=text) as e:
                markers.parse(text, "x.c")
            self.assertIn("x.c:%d:" % line, str(e.exception))
            self.assertIn(words, str(e.exception))
            self.assertIn("fix:", str(e.exception))

    def test_nyi_lists_solutions_in_master_and_todos_in_a_student_tree(self):
        tmp = tempfile.mkdtemp(prefix="nyi.")
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "f.c"), "w") as f:
            f.write(C_SOURCE)
        self.assertEqual(markers.nyi(tmp, ["f.c"]),
                         ["f.c:3: LAB 1: solution (1 lines), skeleton 2 lines"])
        with open(os.path.join(tmp, "f.c"), "w") as f:
            f.write(_skeleton_lab1(C_SOURCE))
        self.assertEqual(markers.nyi(tmp, ["f.c"]), ["f.c:3: LAB 1: your code here"])

    def test_nyi_of_one_lab_keeps_its_lines_and_counts_the_rest(self):
        lines = ["a.c:3: LAB 1: your code here", "b.c:9: LAB 3: your code here",
                 "c.c:1: LAB 13: your code here"]
        self.assertEqual(markers.of_lab(lines, 3), (["b.c:9: LAB 3: your code here"], 2))
        self.assertEqual(markers.of_lab(lines, 1), (["a.c:3: LAB 1: your code here"], 2))

    def test_the_master_tree_parses(self):
        """Every file of this tree is valid for the generator (a bad marker fails here)."""
        found = markers.nyi(ROOT, markers.tracked_files(ROOT))
        self.assertTrue(any(": LAB 1: solution" in s for s in found), found)


def _git(cwd, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", cwd]
                          + list(args), check=True, capture_output=True,
                          text=True).stdout.strip()


COURSE = """\
[course]
staff = labs secret.txt
student = labs/Makefrag
binary = obj/{folder}/{name}
build = true

[lab 1]
title = One
new = one
layers =

[lab 2]
title = Two
new = two
layers =
"""


class GeneratorTest(unittest.TestCase):
    """On a small master tree of its own: what each export holds, and the branches."""

    def setUp(self):
        if not shutil.which("git"):
            self.skipTest("no git")
        self.tmp = tempfile.mkdtemp(prefix="labgen.")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.master = os.path.join(self.tmp, "master")
        files = {"labs/course.conf": COURSE, "labs/Makefrag": "nyi:\n# STAFF: BEGIN\n"
                 "lab-export:\n# STAFF: END\n", "labs/generate.py": "staff\n",
                 "secret.txt": "staff\n", "common.c": C_SOURCE, "one/a.c": C_SOURCE,
                 "two/b.c": "int b;\n", "two/all-solution.md":
                 "<!-- LAB 2: BEGIN SOLUTION -->\nsecret answer 2\n<!-- LAB 2: END -->\n",
                 "obj/built.o": "generated\n", ".gitignore": "/obj/\n"}
        for rel, text in files.items():
            path = os.path.join(self.master, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        os.chmod(os.path.join(self.master, "one/a.c"), 0o755)
        _git(self.master, "init", "-q")
        _git(self.master, "add", "-A")
        _git(self.master, "commit", "-qm", "master")
        self.course = generate.Course(os.path.join(self.master, "labs/course.conf"))

    def _export(self, n, solved=0):
        dest = os.path.join(self.tmp, "out-%d-%d" % (n, solved))
        return dest, sorted(generate.export(self.course, self.master, n, dest, solved))

    def _read(self, *path):
        with open(os.path.join(*path)) as f:
            return f.read()

    def test_lab1_student_tree(self):
        dest, files = self._export(1)
        self.assertEqual(files, [".gitignore", "common.c", "conf/lab.mk", "labs/Makefrag",
                                 "one/a.c"])
        self.assertNotIn("42", self._read(dest, "common.c"))
        self.assertNotIn("g(void)", self._read(dest, "common.c"))
        self.assertNotIn("staff_only", self._read(dest, "one/a.c"))
        self.assertEqual(self._read(dest, "labs/Makefrag"), "nyi:\n")
        self.assertIn("LAB := 1", self._read(dest, "conf/lab.mk"))
        self.assertEqual(os.stat(os.path.join(dest, "one/a.c")).st_mode & 0o777, 0o755)

    def test_lab2_solution_and_prep_trees(self):
        dest, files = self._export(2, solved=2)
        self.assertIn("two/all-solution.md", files)
        self.assertIn("return 42;", self._read(dest, "one/a.c"))
        dest, files = self._export(2, solved=1)
        self.assertNotIn("two/all-solution.md", files)
        self.assertIn("return 42;", self._read(dest, "one/a.c"))
        self.assertIn("int g(void)", self._read(dest, "one/a.c"))

    def test_export_refuses_a_folder_in_use(self):
        dest, _ = self._export(1)
        with self.assertRaises(generate.CourseError):
            generate.export(self.course, self.master, 1, dest)

    def test_branches_merge_forward_and_keep_solutions_out(self):
        repo = os.path.join(self.tmp, "course.git")
        subprocess.run(["git", "init", "-q", "--bare", repo], check=True)
        made = generate.branches(self.course, self.master, repo, log=io.StringIO())
        self.assertEqual(sorted(made), ["lab1", "lab2", "sol1", "sol2"])
        self.assertEqual(_git(repo, "rev-parse", "lab2^1"), made["lab1"])
        again = generate.branches(self.course, self.master, repo, log=io.StringIO())
        self.assertEqual(again, made, "a second run with nothing changed made new commits")
        history = _git(repo, "log", "-p", "lab1", "lab2")
        for secret in ("return 42;", "secret answer", "staff_only", "lab-export", "generated"):
            self.assertNotIn(secret, history)
        self.assertIn("return 42;", _git(repo, "log", "-p", "sol1"))
        # A student's lab 1 work merges with lab 2.
        clone = os.path.join(self.tmp, "student")
        subprocess.run(["git", "clone", "-q", repo, clone], check=True)
        self.assertEqual(_git(clone, "rev-parse", "--abbrev-ref", "HEAD"), "lab1")
        path = os.path.join(clone, "one/a.c")
        with open(path) as f:
            text = f.read().replace("\treturn 0;\n", "\treturn 42;\n")
        with open(path, "w") as f:
            f.write(text)
        _git(clone, "commit", "-qam", "my lab 1")
        _git(clone, "merge", "-q", "--no-edit", "origin/lab2")
        self.assertIn("return 42;", self._read(clone, "one/a.c"))
        self.assertIn("LAB := 2", self._read(clone, "conf/lab.mk"))
        # A fix to lab 1 in the master tree: lab 1 gets a commit on top, lab 2 merges it.
        with open(os.path.join(self.master, "common.c"), "a") as f:
            f.write("int fixed;\n")
        fixed = generate.branches(self.course, self.master, repo, log=io.StringIO())
        self.assertEqual(_git(repo, "rev-parse", "lab1^"), made["lab1"])
        _git(repo, "merge-base", "--is-ancestor", fixed["lab1"], fixed["lab2"])


def _solution_lines():
    """The master tree's solution lines that appear nowhere else in it."""
    solution, elsewhere = set(), set()
    for rel in markers.tracked_files(ROOT):
        text = markers.read_text(os.path.join(ROOT, rel))
        if text is None or rel.startswith("labs/") or "selftest" in rel:
            continue
        for p in markers.parse(text, rel):
            if isinstance(p, str):
                elsewhere.add(p.strip())
            elif p.kind == "solution":
                solution |= {s.strip() for s in p.solution}
                elsewhere |= {s.strip() for s in markers.render([p], p.lab, 0).splitlines()}
            else:
                elsewhere |= {s.strip() for s in p.solution}
    return {s for s in solution - elsewhere if len(s) >= 12}


class SecrecyTest(unittest.TestCase):
    def test_no_solution_line_in_a_student_branch_or_its_history(self):
        if not shutil.which("git"):
            self.skipTest("no git")
        secrets = _solution_lines()
        self.assertGreater(len(secrets), 10, "too few solution lines to look for")
        course = generate.Course(os.path.join(ROOT, "labs/course.conf"))
        tmp = tempfile.mkdtemp(prefix="secrecy.")
        self.addCleanup(shutil.rmtree, tmp)
        repo = os.path.join(tmp, "course.git")
        subprocess.run(["git", "init", "-q", "--bare", repo], check=True)
        saved = generate.build_refs
        generate.build_refs = lambda *a, **k: {}      # no binaries: only the text matters
        try:
            generate.branches(course, ROOT, repo, log=io.StringIO())
        finally:
            generate.build_refs = saved
        for branch in ["lab%d" % lab.number for lab in course.labs]:
            shown = {s[1:].strip() for s in _git(repo, "log", "-p", branch).splitlines()
                     if s[:1] in "+- "}
            shown |= {s.strip() for s in _git(repo, "grep", "-I", "-h", "-e", ".", branch,
                                              "--").splitlines()}
            found = sorted(secrets & shown)
            self.assertEqual(found, [], "%s shows solution lines" % branch)
            files = _git(repo, "ls-tree", "-r", "--name-only", branch).split()
            for staff in course.staff:
                if staff not in course.student:
                    self.assertFalse([f for f in files if f == staff or
                                      f.startswith(staff + "/") and
                                      not f.startswith("labs/ref/") and
                                      f not in course.student], (branch, staff))
        solved = {s[1:].strip() for s in _git(repo, "log", "-p", "sol1").splitlines()}
        self.assertTrue(secrets & solved, "the solution lines are not even in sol1")


class LayersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="layers.")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.file = os.path.join(self.tmp, "LAYERS")
        with open(self.file, "w") as f:
            f.write("# comment\necho 1 user/bin/echo ref\nrunall 2 user/bin/runall own\n")
        self.image = os.path.join(self.tmp, "ref.img")
        open(self.image, "w").close()

        class Config:
            image, bootfs = "own.img", "own.bootfs"
        self.config = Config()

    def _tests(self):
        old = Test("old", boot=Boot(monitors=["root"], program="echo"))
        new = Test("new", boot=Boot(monitors=["root"], program="runall"))
        old.lab, new.lab = 1, 2
        return old, new

    def test_the_graded_lab_runs_on_the_reference_image(self):
        old, new = self._tests()
        notes = layers.assign([old, new], self.config, self.file, 2, False, self.image,
                              "ref.bootfs")
        self.assertEqual(layers.config_for(new, self.config).image, self.image)
        self.assertIs(layers.config_for(old, self.config), self.config)
        self.assertIn("reference layers echo", notes[0])
        self.assertEqual(new.layers, [("runall", "yours"), ("echo", "reference (labs/ref/echo)")])
        self.assertEqual(old.layers, [("echo", "yours")])

    def test_mine_runs_everything_on_the_students_own(self):
        old, new = self._tests()
        notes = layers.assign([old, new], self.config, self.file, 2, True, self.image, "x")
        self.assertIs(layers.config_for(new, self.config), self.config)
        self.assertIn("MINE=1", notes[0])

    def test_a_bad_layers_file_is_refused(self):
        with open(self.file, "w") as f:
            f.write("echo one\n")
        with self.assertRaises(ValueError) as e:
            layers.read(self.file)
        self.assertIn("line 1", str(e.exception))


class StaffCheckTest(unittest.TestCase):
    def test_a_solution_block_taken_out_fails_the_staff_check(self):
        """On a copy of this tree whose echo server lost its solution (the skeleton left
        in its place), the staff check of lab 1's solution fails."""
        for tool in ("git", "make", "qemu-system-i386"):
            if not shutil.which(tool):
                self.skipTest("no " + tool)
        tmp = tempfile.mkdtemp(prefix="staffcheck.")
        self.addCleanup(shutil.rmtree, tmp)
        master = os.path.join(tmp, "master")
        for rel in markers.tracked_files(ROOT):
            os.makedirs(os.path.dirname(os.path.join(master, rel)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), os.path.join(master, rel))
        path = os.path.join(master, "user/bin/echo/echo.c")
        pieces = markers.parse(self._read(path), path)
        first = [p for p in pieces if not isinstance(p, str)][0]
        with open(path, "w") as f:
            f.write("".join(p if isinstance(p, str) else
                            markers.render([p], p.lab, 0 if p is first else p.lab)
                            for p in pieces))
        r = subprocess.run([sys.executable, os.path.join(master, "labs/staffcheck.py"),
                            "--lab", "1", "--solution-only", "--no-bochs"], cwd=master,
                           capture_output=True, text=True, timeout=900)
        self.assertEqual(r.returncode, 1, r.stdout[-3000:])
        got = re.search(r"FAIL +lab 1, solution: scores (\d+)/(\d+) ", r.stdout)
        self.assertTrue(got and int(got.group(1)) < int(got.group(2)), r.stdout[-3000:])

    @staticmethod
    def _read(path):
        with open(path) as f:
            return f.read()


class HandoutTest(unittest.TestCase):
    """Every lab's handout follows handouts/template.md and names each of the lab's graded
    tests with its points; handouts/README.md lists every lab."""

    def _read(self, rel):
        with open(os.path.join(ROOT, rel)) as f:
            return f.read()

    def test_handouts_follow_the_template(self):
        import re
        from gradelib import loader
        heads = re.findall(r"^## (.*)$", self._read("handouts/template.md"), re.M)
        self.assertGreaterEqual(len(heads), 9)
        _, tests = loader.load(os.path.join(ROOT, "grade"), ROOT)
        course = generate.Course(os.path.join(ROOT, "labs/course.conf"))
        index = self._read("handouts/README.md")
        for lab in course.labs:
            text = self._read(lab.handout)
            self.assertEqual(re.findall(r"^## (.*)$", text, re.M), heads, lab.handout)
            self.assertIn(os.path.basename(lab.handout), index)
            graded = [t for t in tests if t.lab == lab.number and t.points and course.first_lab(
                os.path.relpath(t.file, ROOT)) == lab.number]
            self.assertTrue(graded, "lab %d has no graded test" % lab.number)
            for t in graded:
                self.assertTrue(re.search(r"`%s` \(%d points" % (re.escape(t.name), t.points),
                                          text), "%s does not name test %s with its %d points"
                                % (lab.handout, t.name, t.points))
                for part in t.parts:
                    self.assertIn("`%s` %d" % (part.name, part.points), text,
                                  "%s: part %s of %s" % (lab.handout, part.name, t.name))
