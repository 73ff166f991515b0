#!/usr/bin/env python3
"""The staff checks (labs/README.md section 4), run from the master tree:

    staffcheck.py [--quick] [--no-bochs] [--keep DIR]

For every lab n: the exported skeleton builds, boots to the shell and scores zero on lab
n's graded tests; the skeleton of lab n over the solutions of the earlier labs (what a
student who did them right starts lab n with) scores zero on lab n and passes every
earlier lab's test (run on the student's own layers, as regressions); the exported
solution scores full marks, every test passing, under QEMU and under Bochs.  With
--quick (the part CI runs): every lab's skeleton and solution build, and lab 1's skeleton
scores zero on lab 1.  Prints one line per check and the figures; exits 1 if any failed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import markers  # noqa: E402

# The master tree's test that boots the default configuration into the shell and drives
# it; run on each exported skeleton's image.
SHELL_TEST = "shell"


def _make(tree, *goals, log=None):
    r = subprocess.run(["make", "-s", "-j2"] + list(goals), cwd=tree, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if log:
        with open(log, "ab") as f:
            f.write(r.stdout)
    return r.returncode, r.stdout.decode(errors="replace")


def grade(tree, lab, emu, names=(), mine=False):
    """Run make grade in tree; returns {test: (lab, regression, score, max, passed)}."""
    out = os.path.join(tree, "staff-results.json")
    flags = ["--json", out] + list(names)
    goals = ["grade", "EMU=" + emu, "GRADEFLAGS=" + " ".join(flags)]
    if mine:
        goals.append("MINE=1")
    _make(tree, *goals, log=os.path.join(tree, "staff-grade-%s.log" % emu))
    try:
        with open(out) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    results = {}
    for t in data["tests"]:
        head, _, name = t["name"].rpartition(": ")
        results[name] = (head, t.get("status") == "passed", t["score"], t["max_score"])
    return results


def platform_test(root, tree, name):
    """Run the master tree's test `name` on the image built in tree; True if it passed."""
    obj = os.path.join(tree, "obj")
    r = subprocess.run([sys.executable, os.path.join(root, "grade/grade.py"), "--image",
                        os.path.join(obj, "fluke.img"), "--kernel",
                        os.path.join(obj, "kern/kernel"), "--bootfs",
                        os.path.join(obj, "bootfs.img"), "--artifacts",
                        os.path.join(obj, "staff"), name], cwd=root,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(os.path.join(tree, "staff-%s.log" % name), "wb") as f:
        f.write(r.stdout)
    return r.returncode == 0


def lab_points(tree, lab):
    """{test name: points} of lab `lab`'s graded tests, from the tree's grader."""
    r = subprocess.run([sys.executable, "grade/grade.py", "--list"], cwd=tree,
                       capture_output=True, text=True)
    points = {}
    for line in r.stdout.splitlines():
        words = line.split()
        if len(words) >= 4 and words[0] == "lab" and words[1] == str(lab):
            points[words[2]] = int(words[3])
    return points


class Checker:
    def __init__(self):
        self.failed, self.figures = [], []

    def say(self, ok, what):
        print("%s  %s" % ("ok  " if ok else "FAIL", what), flush=True)
        if not ok:
            self.failed.append(what)
        return ok


def check_lab(c, course, root, lab, base, quick, bochs, refs, skeleton=True):
    """The checks of one lab, on three exports: the student tree (labN), the tree of a
    student who solved every earlier lab (prepN, for N > 1) and the solution (solN)."""
    n = lab.number
    trees = [("skeleton", os.path.join(base, "lab%d" % n), 0),
             ("solution", os.path.join(base, "sol%d" % n), n)]
    if n > 1:
        trees.insert(1, ("skeleton with labs 1-%d solved" % (n - 1), os.path.join(
            base, "prep%d" % n), n - 1))
    for what, tree, solved in trees if skeleton else trees[-1:]:
        generate.export(course, root, n, tree, solved=solved, refs=refs)
        rc, out = _make(tree, "all")
        if not c.say(rc == 0, "lab %d, %s: builds (%s)" % (n, what, tree)):
            print(out[-2000:])
            return
    if quick and n != 1:
        return
    skel, sol = trees[0][1], trees[-1][1]
    points = lab_points(sol, n)
    if skeleton:
        check_skeleton(c, root, n, skel, points, quick, "skeleton")
        if n > 1 and not quick:
            check_skeleton(c, root, n, trees[1][1], points, quick, trees[1][0], earlier=True)
    if not quick:
        check_solution(c, n, sol, points, bochs)


def check_skeleton(c, root, n, tree, points, quick, what, earlier=False):
    """Zero on lab n's graded tests; with earlier, every earlier lab's test passes too."""
    if not c.say(bool(points), "lab %d, %s: the grader lists lab %d's tests (%s)" % (
            n, what, n, ", ".join(sorted(points)))):
        return
    results = grade(tree, n, "qemu")
    if not c.say(results is not None, "lab %d, %s: make grade ran" % (n, what)):
        return
    mine = {k: v for k, v in results.items() if k in points}
    score = sum(v[2] for v in mine.values())
    c.say(score == 0 and len(mine) == len(points),
          "lab %d, %s: scores %d/%d on lab %d (must be 0)" % (
              n, what, score, sum(points.values()), n))
    figure = "lab %d, %s: %d/%d on lab %d" % (n, what, score, sum(points.values()), n)
    if earlier:
        old = {k: v for k, v in results.items() if k not in points}
        bad = sorted(k for k, v in old.items() if not v[1])
        c.say(old and not bad, "lab %d, %s: passes all %d tests of earlier labs%s" % (
            n, what, len(old), " but " + ", ".join(bad) if bad else ""))
        figure += ", %d of %d earlier labs' tests pass" % (len(old) - len(bad), len(old))
    c.figures.append(figure)
    if quick or earlier:
        return
    shell = platform_test(root, tree, SHELL_TEST)
    c.say(shell, "lab %d, %s: boots to the shell (the master's test %s on its image)"
          % (n, what, SHELL_TEST))


def check_solution(c, n, sol, points, bochs):
    for emu in ["qemu"] + (["bochs"] if bochs else []):
        results = grade(sol, n, emu)
        if not c.say(results is not None, "lab %d, solution: make grade ran (%s)" % (
                n, emu)):
            continue
        got = sum(v[2] for k, v in results.items() if k in points)
        bad = sorted(k for k, v in results.items() if not v[1])
        c.say(got == sum(points.values()) and not bad,
              "lab %d, solution: scores %d/%d under %s, every test passing%s" % (
                  n, got, sum(points.values()), emu, " but " + ", ".join(bad) if bad else ""))
        c.figures.append("lab %d, solution (%s): %d/%d, %d of %d tests pass" % (
            n, emu, got, sum(points.values()), len(results) - len(bad), len(results)))


def main(argv):
    p = argparse.ArgumentParser(prog="staffcheck.py")
    p.add_argument("--quick", action="store_true", help="the part CI runs")
    p.add_argument("--no-bochs", action="store_true", help="grade the solutions on QEMU only")
    p.add_argument("--course", default=os.path.join(HERE, "course.conf"))
    p.add_argument("--root", default=os.path.dirname(HERE))
    p.add_argument("--lab", type=int, help="check lab N only")
    p.add_argument("--solution-only", action="store_true",
                   help="export, build and grade the solutions only")
    p.add_argument("--keep", metavar="DIR", help="export into DIR and leave the trees there")
    args = p.parse_args(argv)
    c = Checker()
    base = args.keep or tempfile.mkdtemp(prefix="fluke-staff.")
    try:
        course = generate.Course(args.course)
        for lab in [course.lab(args.lab)] if args.lab else course.labs:
            refs = generate.build_refs(course, args.root, lab.number, log=sys.stdout)
            check_lab(c, course, args.root, lab, base, args.quick, not args.no_bochs, refs,
                      skeleton=not args.solution_only)
    except (generate.CourseError, markers.MarkerError) as e:
        c.say(False, str(e))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print("\nfigures:\n" + "\n".join("  " + f for f in c.figures))
    print("staff check: %s" % ("%d failed: %s" % (len(c.failed), "; ".join(c.failed))
                               if c.failed else "every check passed"))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
