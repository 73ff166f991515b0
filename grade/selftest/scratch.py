"""A scratch copy of the built tree, for the self-tests that run make in it."""
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def scratch_tree(test, built):
    """Copy the tree (without .git, grade and run) into a directory removed after test;
    skip test when there is no make or the tree has no obj/BUILT yet. The copy's path."""
    if not shutil.which("make"):
        test.skipTest("no make")
    if not os.path.exists(os.path.join(ROOT, "obj", built)):
        test.skipTest("the tree is not built (run make)")
    top = tempfile.mkdtemp(prefix="fluke-scratch.")
    test.addCleanup(shutil.rmtree, top)
    tree = os.path.join(top, "tree")
    shutil.copytree(ROOT, tree, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "grade", "run"))
    return tree


def make(test, tree, *arguments):
    """Run make with arguments in tree, outside any make that runs the self-tests; its
    output, after checking that it succeeded."""
    done = subprocess.run(["make"] + list(arguments), cwd=tree,
                          env={k: v for k, v in os.environ.items()
                               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    out = done.stdout.decode(errors="replace")
    test.assertEqual(done.returncode, 0, out)
    return out
