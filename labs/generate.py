#!/usr/bin/env python3
"""The lab generator (labs/README.md): the student and solution trees of each lab, written
from the master tree's markers (labs/markers.py) and the course's configuration
(labs/course.conf), and the git branches lab1 ... labN and sol1 ... solN.

    generate.py export --lab N --dir DIR [--solution] [--no-refs]
    generate.py branches --repo REPO [--kinds lab,sol]

Python 3.9+ standard library only; needs git, and the toolchain for reference binaries.
"""
import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import markers  # noqa: E402

LAYERS_FILE = "labs/ref/LAYERS"
LAB_MK = "conf/lab.mk"


class CourseError(Exception):
    """A configuration or tree the generator can not use; the message says the fix."""


class Lab:
    def __init__(self, number, title, handout, new, layers):
        self.number, self.title, self.handout = number, title, handout
        self.new, self.layers = new, layers


def _covers(paths, rel):
    return any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in paths)


class Course:
    """labs/course.conf: the labs, what each adds and writes, what staff keep to
    themselves."""

    def __init__(self, path):
        self.path = path
        c = configparser.ConfigParser(interpolation=None)
        try:
            with open(path) as f:
                c.read_file(f)
        except (OSError, configparser.Error) as e:
            raise CourseError("%s: %s" % (path, e))
        try:
            course = c["course"]
            self.staff = course.get("staff", "").split()
            self.student = course.get("student", "").split()
            self.binary = course.get("binary", "obj/{folder}/{name}")
            self.build = course.get("build", "make -s all").split()
        except KeyError:
            raise CourseError("%s has no [course] section; see labs/README.md" % path)
        self.labs = []
        for name in c.sections():
            if name == "course":
                continue
            number = name[4:] if name.startswith("lab ") else ""
            if not number.isdigit() or int(number) < 1:
                raise CourseError("%s: section [%s] is not [course] or [lab N] (N from 1)"
                                  % (path, name))
            s = c[name]
            self.labs.append(Lab(int(number), s.get("title", name), s.get("handout"),
                                 s.get("new", "").split(), s.get("layers", "").split()))
        self.labs.sort(key=lambda lab: lab.number)
        if [lab.number for lab in self.labs] != list(range(1, len(self.labs) + 1)):
            raise CourseError("%s: the labs are numbered %s; number them 1, 2, ... with no gap"
                              % (path, [lab.number for lab in self.labs]))

    def lab(self, n):
        if not 1 <= n <= len(self.labs):
            raise CourseError("there is no lab %d: %s has labs 1 to %d" % (
                n, self.path, len(self.labs)))
        return self.labs[n - 1]

    def staff_only(self, rel):
        return _covers(self.staff, rel) and not _covers(self.student, rel)

    def first_lab(self, rel):
        """The lab a path first appears in, or None if it is in every lab's tree."""
        for lab in self.labs:
            if _covers(lab.new, rel):
                return lab.number
        return None

    def layers_before(self, n):
        """[(name, lab, folder)] of the layers written in labs before n."""
        return [(os.path.basename(folder.rstrip("/")), lab.number, folder.rstrip("/"))
                for lab in self.labs[:n - 1] for folder in lab.layers]


def exported_files(course, root, n):
    """The master tree's files that lab n's trees hold (before their markers are applied)."""
    for rel in markers.tracked_files(root):
        first = course.first_lab(rel)
        if course.staff_only(rel) or (first is not None and first > n):
            continue
        yield rel


def _write(path, data, mode):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def export(course, root, n, dest, solved=0, refs=None):
    """Write a tree of lab n into dest, which must not exist or be empty: the labs up to
    `solved` solved (0: the student tree; n: the solution tree; n - 1: what a student who
    solved every earlier lab starts lab n with).  refs is {name: (lab, folder, binary
    bytes)} for labs/ref/.  Returns the relative paths written."""
    course.lab(n)
    if os.path.exists(dest) and os.listdir(dest):
        raise CourseError("%s is not empty; give DIR= a new or empty folder" % dest)
    written = []
    for rel in exported_files(course, root, n):
        src = os.path.join(root, rel)
        mode = os.stat(src).st_mode & 0o777
        text = markers.read_text(src)
        if text is None:
            with open(src, "rb") as f:
                data = f.read()
        else:
            out = markers.render(markers.parse(text, rel), n, solved)
            if text.strip() and not out.strip():
                continue            # a file that is all solution (or staff): not there
            data = out.encode("utf-8")
        _write(os.path.join(dest, rel), data, mode)
        written.append(rel)
    lab = course.lab(n)
    mk = ("# Written by the lab generator: this tree is lab %d (%s)%s.\nLAB := %d\n" % (
        n, lab.title, ", with the solutions of labs 1 to %d" % solved if solved else "", n))
    _write(os.path.join(dest, LAB_MK), mk.encode(), 0o644)
    written.append(LAB_MK)
    own = [(os.path.basename(f.rstrip("/")), n, f.rstrip("/")) for f in lab.layers]
    if refs or own:
        lines = ["# The layers: name, the lab whose students write it, its folder, and ref (the",
                 "# staff's binary is labs/ref/NAME) or own (this lab's: the student's)."]
        for name, (owner, folder, data) in sorted((refs or {}).items()):
            _write(os.path.join(dest, "labs", "ref", name), data, 0o755)
            written.append("labs/ref/" + name)
            lines.append("%s %d %s ref" % (name, owner, folder))
        lines += ["%s %d %s own" % layer for layer in own]
        _write(os.path.join(dest, LAYERS_FILE), ("\n".join(lines) + "\n").encode(), 0o644)
        written.append(LAYERS_FILE)
    return written


def build_refs(course, root, n, log=sys.stderr):
    """The staff's binaries of the layers of labs before n, built from the solution tree of
    lab n - 1 (never from lab n's, whose solution they would carry): {name: (lab, folder,
    bytes)}."""
    wanted = course.layers_before(n)
    if not wanted:
        return {}
    with tempfile.TemporaryDirectory(prefix="fluke-ref%d." % (n - 1)) as tmp:
        tree = os.path.join(tmp, "sol%d" % (n - 1))
        export(course, root, n - 1, tree, solved=n - 1)
        print("+ reference layers for lab %d: building sol%d (%s)" % (
            n, n - 1, " ".join(course.build)), file=log, flush=True)
        r = subprocess.run(course.build, cwd=tree, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if r.returncode:
            raise CourseError("the solution tree of lab %d does not build (%s):\n%s" % (
                n - 1, " ".join(course.build), r.stdout.decode(errors="replace")[-3000:]))
        refs = {}
        for name, owner, folder in wanted:
            path = os.path.join(tree, course.binary.format(
                folder=folder, name=name, top=folder.split("/")[0]))
            try:
                with open(path, "rb") as f:
                    refs[name] = (owner, folder, f.read())
            except OSError:
                raise CourseError("lab %d's layer %s built no %s (course.conf binary = %s)"
                                  % (owner, folder, path, course.binary))
        return refs


def _git(repo, *args, env=None, input=None):
    full = dict(os.environ, GIT_DIR=repo, **(env or {}))
    full.setdefault("GIT_AUTHOR_NAME", "Fluke course staff")
    full.setdefault("GIT_AUTHOR_EMAIL", "staff@fluke.invalid")
    full.setdefault("GIT_COMMITTER_NAME", full["GIT_AUTHOR_NAME"])
    full.setdefault("GIT_COMMITTER_EMAIL", full["GIT_AUTHOR_EMAIL"])
    r = subprocess.run(["git"] + list(args), env=full, input=input, capture_output=True)
    if r.returncode:
        raise CourseError("git %s failed in %s: %s" % (" ".join(args), repo,
                                                      r.stderr.decode().strip()))
    return r.stdout.decode().strip()


def _head(repo, branch):
    r = subprocess.run(["git", "--git-dir", repo, "rev-parse", "-q", "--verify",
                        "refs/heads/%s^{commit}" % branch], capture_output=True)
    return r.stdout.decode().strip() if r.returncode == 0 else None


def _is_ancestor(repo, a, b):
    return subprocess.run(["git", "--git-dir", repo, "merge-base", "--is-ancestor", a, b],
                          capture_output=True).returncode == 0


def commit_tree(repo, tree_dir, branch, parent_lab, message):
    """Commit tree_dir as the next commit of branch: on top of the branch's head (if the
    tree changed) and of parent_lab's commit (so that lab n descends from lab n - 1, and a
    student's merge of lab n brings only lab n's changes).  Returns the branch's commit."""
    with tempfile.TemporaryDirectory(prefix="fluke-index.") as tmp:
        env = {"GIT_WORK_TREE": tree_dir, "GIT_INDEX_FILE": os.path.join(tmp, "index")}
        _git(repo, "add", "-A", "-f", ".", env=env)
        tree = _git(repo, "write-tree", env=env)
    head = _head(repo, branch)
    parents = []
    if head:
        same = _git(repo, "rev-parse", head + "^{tree}") == tree
        if same and (parent_lab is None or _is_ancestor(repo, parent_lab, head)):
            return head
        parents.append(head)
    if parent_lab and not (head and _is_ancestor(repo, parent_lab, head)):
        parents.append(parent_lab)
    args = ["commit-tree", tree, "-m", message]
    for p in parents:
        args += ["-p", p]
    commit = _git(repo, *args)
    _git(repo, "update-ref", "refs/heads/" + branch, commit)
    return commit


def branches(course, root, repo, kinds=("lab", "sol"), log=sys.stderr):
    """Make (or bring up to date) the branches lab1 ... labN (and sol1 ... solN) of the git
    repository repo.  Returns {branch: commit}."""
    if subprocess.run(["git", "--git-dir", repo, "rev-parse", "--git-dir"],
                      capture_output=True).returncode:
        raise CourseError("%s is no git repository; make one first: git init --bare %s"
                          % (repo, repo))
    made, refs = {}, {}
    for kind in kinds:
        previous = None
        for lab in course.labs:
            if lab.number not in refs:
                refs[lab.number] = build_refs(course, root, lab.number, log)
            with tempfile.TemporaryDirectory(prefix="fluke-%s%d." % (kind, lab.number)) as tmp:
                tree = os.path.join(tmp, "tree")
                export(course, root, lab.number, tree, solved=lab.number if kind == "sol" else 0,
                       refs=refs[lab.number])
                name = "%s%d" % (kind, lab.number)
                message = "Lab %d: %s%s" % (lab.number, lab.title,
                                            " (solution)" if kind == "sol" else "")
                previous = made[name] = commit_tree(repo, tree, name, previous, message)
            print("+ branch %s %s" % (name, previous[:12]), file=log, flush=True)
    if "lab1" in made and not _head(repo, _git(repo, "symbolic-ref", "--short", "HEAD")):
        _git(repo, "symbolic-ref", "HEAD", "refs/heads/lab1")     # what a clone checks out
    return made


def main(argv):
    p = argparse.ArgumentParser(prog="generate.py", description="Write the course's labs.")
    p.add_argument("--course", default=os.path.join(HERE, "course.conf"))
    p.add_argument("--root", default=os.path.dirname(HERE), help="the master tree")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="write one lab's tree")
    e.add_argument("--lab", type=int, required=True)
    e.add_argument("--dir", required=True)
    e.add_argument("--solution", action="store_true", help="with the solutions")
    e.add_argument("--solved", type=int, metavar="K", help="with the solutions of labs 1..K")
    e.add_argument("--no-refs", action="store_true", help="without labs/ref/ (no build)")
    b = sub.add_parser("branches", help="make the branches lab1 ... in a git repository")
    b.add_argument("--repo", required=True)
    b.add_argument("--kinds", default="lab,sol", help="lab, sol or lab,sol")
    args = p.parse_args(argv)
    try:
        course = Course(args.course)
        if args.command == "export":
            refs = {} if args.no_refs else build_refs(course, args.root, args.lab)
            solved = args.lab if args.solution else (args.solved or 0)
            files = export(course, args.root, args.lab, args.dir, solved, refs)
            print("+ lab %d%s: %d files in %s" % (
                args.lab, " with the solutions of labs 1 to %d" % solved if solved else "",
                len(files), args.dir))
        else:
            kinds = [k for k in args.kinds.split(",") if k]
            if not kinds or set(kinds) - {"lab", "sol"}:
                raise CourseError("--kinds takes lab, sol or lab,sol, not %r" % args.kinds)
            branches(course, args.root, os.path.abspath(args.repo), kinds)
    except (CourseError, markers.MarkerError) as e:
        print("generate.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
