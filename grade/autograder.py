#!/usr/bin/env python3
"""Packaging the grader for Gradescope and GitHub Classroom (handouts/grading.md).

    autograder.py zip [--lab N] OUT.zip         the Gradescope autograder (make autograder)
    autograder.py classroom --course OWNER/REPO [--ref REF] [--lab N]
                                                a GitHub Classroom workflow, on stdout
    autograder.py run [--lab N] [--base DIR]    grade one submission as Gradescope does
                                                (run_autograder runs it)
    autograder.py overlay SOURCE TREE           put SOURCE's grader over TREE's (the
                                                Classroom workflow runs it)
    autograder.py build-failed LOG RESULTS      results.json for a submission that does
                                                not build

Either way the tests, the grader and its budgets are the course's, never the student's:
PRISTINE names what is taken from the course (the zip, or the course's branch) and put
over the submission, once before its build and again after it (a build runs the student's
own make, which could rewrite the tree); everything else is the student's source.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import traceback
import zipfile

from grade import HERE, ROOT, LabError, load_labs

PACKAGES = ("make gcc gcc-multilib binutils gdb python3 qemu-system-x86 bochs bochsbios "
            "vgabios")

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends %s
""" % PACKAGES

# Gradescope copies run_autograder to /autograder and runs it for each submission, with
# what the student uploaded in /autograder/submission and this zip in /autograder/source.
# autograder.py run does the work; the shell only makes sure that results.json exists,
# whatever happens.  FLUKE_AUTOGRADER moves /autograder (the grader's self-test uses it).
RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission (handouts/grading.md section 7).
base=${FLUKE_AUTOGRADER:-/autograder}
python3 "$base/source/grade/autograder.py" run --base "$base" @LAB@
status=$?
if [ ! -s "$base/results/results.json" ]; then
    mkdir -p "$base/results"
    {   printf '{"score": 0, "visibility": "visible", "stdout_visibility": "visible",'
        printf ' "tests": [], "output": "The autograder stopped (exit status %s)' "$status"
        printf ' before it scored this submission; please tell the course staff."}\\n'
    } > "$base/results/results.json"
fi
exit 0
"""

# What a submission may be: the archive `make handin` writes (tools/handin.sh), or the
# repository itself (Gradescope's GitHub upload).
HANDIN = "handin.tar.gz"

# What grading takes from the course, never from the submission: the grader with its tests
# and budgets, the emulator command lines, and in a lab tree the staff's reference layers
# and the lab number.  A path the course's copy lacks is left as the submission has it.
PRISTINE = ("grade", "tools/emulator.py", "tools/fluke_image.py", "labs/ref", "conf/lab.mk")
ARCHIVES = (".tar.gz", ".tgz", ".tar", ".zip")
UPLOAD_HINT = ("Run `make handin` in your repository (it packs your committed work into "
               "handin.tar.gz) and upload that file.")


class Unusable(Exception):
    """The submission can not be graded; the message says why and what to upload."""


def _grader_files():
    """(path on disk, path in the zip) of every file of PRISTINE this tree holds."""
    for top in PRISTINE:
        path = os.path.join(ROOT, top)
        if os.path.isfile(path):
            yield path, top
        for directory, subdirs, files in os.walk(path):
            subdirs[:] = [d for d in subdirs if d != "__pycache__"]
            for name in sorted(files):
                found = os.path.join(directory, name)
                yield found, os.path.relpath(found, ROOT)


def _executable(zf, name, text):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    zf.writestr(info, text)


def build_zip(out, lab):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        _executable(zf, "setup.sh", SETUP)
        _executable(zf, "run_autograder",
                    RUN.replace("@LAB@", "--lab %d" % lab if lab is not None else ""))
        for path, name in _grader_files():
            zf.write(path, name)
    print("wrote %s: upload it as the autograder of %s" % (
        out, "lab %d" % lab if lab is not None else "every lab"))


def classroom(lab, course, ref):
    """A workflow with one step per test, so each test's points count on their own.  It
    checks the course's repository out beside the student's (course at ref) and puts its
    PRISTINE files over the student's before the build and again after it."""
    try:
        _, tests = load_labs()
    except LabError as e:
        print("autograder.py: a lab file can not be used:\n" + str(e), file=sys.stderr)
        return 2
    tests = [t for t in tests if lab is None or t.lab == lab]
    ref = ref or ("lab%d" % lab if lab is not None else "main")
    overlay = "      - run: python3 %s/grade/autograder.py overlay %s ." % (COURSE_DIR, COURSE_DIR)
    restore = "      - run: git -C %s reset -q --hard && git -C %s clean -qfdx" % (
        COURSE_DIR, COURSE_DIR)
    out = ["name: Autograding", "on: [push, workflow_dispatch]", "jobs:", "  grade:",
           "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4",
           "      # The course's grader and tests, never the student's copy of them.",
           "      - uses: actions/checkout@v4", "        with:",
           "          repository: %s" % course, "          ref: %s" % ref,
           "          path: %s" % COURSE_DIR,
           "      - run: sudo apt-get update && sudo apt-get install -y " + PACKAGES,
           overlay, "      - run: make", restore, overlay]
    ids = [t.name.replace("-", "_") for t in tests]     # step ids: letters, digits, _
    for t, i in zip(tests, ids):
        out += ["      - id: %s" % i,
                "        uses: classroom-resources/autograding-command-grader@v1",
                "        with:",
                "          test-name: %s" % t.name,
                "          command: python3 grade/grade.py %s" % t.name,
                "          timeout: 10",
                "          max-score: %d" % t.points]
    out += ["      - uses: classroom-resources/autograding-grading-reporter@v1", "        env:"]
    out += ["          %s_RESULTS: \"${{steps.%s.outputs.result}}\"" % (i.upper(), i)
            for i in ids]
    out += ["        with:", "          runners: " + ",".join(ids)]
    print("\n".join(out))
    return 0


COURSE_DIR = ".course"      # where the Classroom workflow checks the course's branch out


def message(results, text):
    """A results.json that scores 0 and says text."""
    data = {"score": 0, "output": text, "visibility": "visible",
            "stdout_visibility": "visible", "tests": []}
    with open(results, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def build_failed(log, results):
    with open(log, errors="replace") as f:
        tail = f.read().splitlines()[-40:]
    message(results, "The submission does not build; `make` said:\n\n" + "\n".join(tail))


def _inside(root, name):
    """Whether the archive member name, relative to root, stays inside root."""
    root = os.path.normpath(root)
    if os.path.isabs(name):
        return False
    path = os.path.normpath(os.path.join(root, name))
    return path == root or path.startswith(root + os.sep)


def _unpack_tar(path, dest):
    """Unpack a tar archive into dest, refusing members that would land outside it (absolute
    names, .., links that point out) and leaving out devices and pipes.  Returns the commit
    `git archive` noted in the archive, or None."""
    try:
        with tarfile.open(path) as tar:
            members = tar.getmembers()
            for m in members:
                target = None
                if m.issym():
                    target = os.path.join(os.path.dirname(m.name), m.linkname)
                elif m.islnk():
                    target = m.linkname
                if not _inside(dest, m.name) or (target is not None and
                                                 not _inside(dest, target)):
                    raise Unusable("%s holds %r, which points outside the archive; it is not "
                                   "what `make handin` writes. %s" % (
                                       os.path.basename(path), m.name, UPLOAD_HINT))
            members = [m for m in members if m.isfile() or m.isdir() or m.issym() or
                       m.islnk()]
            # Python's own check too, where it has one (3.12, and backported to 3.9.17+).
            options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(dest, members=members, **options)
            return tar.pax_headers.get("comment")
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        raise Unusable("%s is not a readable archive (%s). %s" % (
            os.path.basename(path), e, UPLOAD_HINT))


def _unpack_zip(path, dest):
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not _inside(dest, name):
                    raise Unusable("%s holds %r, which points outside the archive. %s" % (
                        os.path.basename(path), name, UPLOAD_HINT))
            zf.extractall(dest)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise Unusable("%s is not a readable archive (%s). %s" % (
            os.path.basename(path), e, UPLOAD_HINT))


def _tree_in(directory):
    """The Fluke tree at directory or in one folder under it (handin/), or None."""
    if os.path.isfile(os.path.join(directory, "GNUmakefile")):
        return directory
    found = [os.path.join(directory, d) for d in sorted(os.listdir(directory))
             if os.path.isfile(os.path.join(directory, d, "GNUmakefile"))]
    return found[0] if len(found) == 1 else None


def _listing(directory):
    names = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    return ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") if names else "nothing"


def submission_tree(submission, scratch):
    """The Fluke tree to grade: the submission itself (a repository), or what the archive
    in it unpacks to (scratch is emptied first).  Returns (tree, what it was) or raises
    Unusable."""
    tree = _tree_in(submission) if os.path.isdir(submission) else None
    if tree:
        return tree, "the repository as submitted"
    names = sorted(os.listdir(submission)) if os.path.isdir(submission) else []
    archives = [n for n in names if n.lower().endswith(ARCHIVES) and
                os.path.isfile(os.path.join(submission, n))]
    if HANDIN in archives:
        archives = [HANDIN]
    if not archives:
        raise Unusable("The submission holds no Fluke tree and no %s (it holds: %s). %s" % (
            HANDIN, _listing(submission), UPLOAD_HINT))
    if len(archives) > 1:
        raise Unusable("The submission holds %d archives (%s) and no %s; upload only one. %s"
                       % (len(archives), ", ".join(archives), HANDIN, UPLOAD_HINT))
    archive = os.path.join(submission, archives[0])
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    if archive.lower().endswith(".zip"):
        _unpack_zip(archive, scratch)
        commit = None
    else:
        commit = _unpack_tar(archive, scratch)
    tree = _tree_in(scratch)
    if not tree:
        raise Unusable("%s unpacks to no Fluke tree: no GNUmakefile at its top or in one "
                       "folder under it (it holds: %s). %s" % (
                           archives[0], _listing(scratch), UPLOAD_HINT))
    what = archives[0] + (" (commit %s)" % commit[:12] if commit else "")
    return tree, what


def snapshot(source):
    """The course's PRISTINE files under source (the unpacked zip, or a checkout of the
    course's branch), read into memory: {top: {path: (bytes, mode)}}.  Taken before the
    student's build runs, so that a build that rewrites source changes nothing."""
    snap = {}
    for top in PRISTINE:
        path = os.path.join(source, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(d, n) for d, subdirs, names in os.walk(path) for n in names
            if "__pycache__" not in os.path.relpath(d, source).split(os.sep)]
        if files:
            snap[top] = {}
            for name in files:
                with open(name, "rb") as f:
                    snap[top][os.path.relpath(name, source)] = (f.read(),
                                                                os.stat(name).st_mode & 0o755)
    return snap


def install(snap, tree):
    """Replace the tree's PRISTINE paths by the snapshot's, so that no test, budget or
    grader file is the student's (a path the snapshot lacks is left alone).  Returns the
    paths replaced."""
    for top, files in snap.items():
        theirs = os.path.join(tree, top)
        if os.path.isdir(theirs) and not os.path.islink(theirs):
            shutil.rmtree(theirs)
        elif os.path.lexists(theirs):
            os.remove(theirs)
        for name, (data, mode) in files.items():
            path = os.path.join(tree, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, mode | 0o644)
    return list(snap)



def _tail(text, n=40):
    return "\n".join(text.splitlines()[-n:])


def run(base, lab, make="make"):
    """Grade the submission in base/submission with the grader in base/source, as
    Gradescope's run_autograder does; results.json always ends up in base/results."""
    results = os.path.join(base, "results")
    os.makedirs(results, exist_ok=True)
    out = os.path.join(results, "results.json")
    if os.path.exists(out):
        os.remove(out)
    try:
        tree, what = submission_tree(os.path.join(base, "submission"),
                                     os.path.join(base, "unpacked"))
        print("autograder: grading %s, in %s" % (what, tree), flush=True)
        pristine = snapshot(os.path.join(base, "source"))
        print("autograder: the course's %s replace the submission's" % ", ".join(
            install(pristine, tree)), flush=True)
        log = os.path.join(results, "build.log")
        with open(log, "w") as f:
            built = subprocess.run([make], cwd=tree, stdout=f, stderr=subprocess.STDOUT)
        install(pristine, tree)             # whatever the student's make did to them
        if built.returncode != 0:
            print("autograder: make failed; the submission scores 0", flush=True)
            build_failed(log, out)
            return 0
        command = [sys.executable, "grade/grade.py"] + (
            ["--lab", str(lab)] if lab is not None else []) + ["--json", out]
        graded = subprocess.run(command, cwd=tree, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True,
                                errors="replace")
        print(graded.stdout, end="", flush=True)
        if not os.path.exists(out):
            message(out, "The grader stopped (exit status %d) before it scored this "
                    "submission; please tell the course staff.  Its last lines:\n\n%s" % (
                        graded.returncode, _tail(graded.stdout)))
    except Unusable as e:
        print("autograder: " + str(e), flush=True)
        message(out, str(e))
    except Exception:
        text = traceback.format_exc()
        print(text, flush=True)
        message(out, "The autograder itself failed; please tell the course staff:\n\n" +
                text)
    return 0


def main(argv):
    p = argparse.ArgumentParser(prog="autograder.py")
    sub = p.add_subparsers(dest="command", required=True)
    z = sub.add_parser("zip")
    z.add_argument("--lab", type=int)
    z.add_argument("out")
    c = sub.add_parser("classroom")
    c.add_argument("--lab", type=int)
    c.add_argument("--course", required=True, metavar="OWNER/REPO",
                   help="the course's repository, whose branch holds the pristine grader")
    c.add_argument("--ref", help="its branch or tag (default: labN, or main without --lab)")
    o = sub.add_parser("overlay")
    o.add_argument("source")
    o.add_argument("tree")
    r = sub.add_parser("run")
    r.add_argument("--lab", type=int)
    r.add_argument("--base", default="/autograder")
    b = sub.add_parser("build-failed")
    b.add_argument("log")
    b.add_argument("results")
    args = p.parse_args(argv)
    if args.command == "zip":
        build_zip(args.out, args.lab)
    elif args.command == "classroom":
        return classroom(args.lab, args.course, args.ref)
    elif args.command == "overlay":
        print("autograder: the course's %s replace the tree's" % ", ".join(
            install(snapshot(os.path.abspath(args.source)), os.path.abspath(args.tree))))
    elif args.command == "run":
        return run(os.path.abspath(args.base), args.lab)
    else:
        build_failed(args.log, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
