#!/usr/bin/env python3
"""Packaging the grader for Gradescope and GitHub Classroom (handouts/grading.md).

    autograder.py zip [--lab N] OUT.zip         the Gradescope autograder (make autograder)
    autograder.py classroom [--lab N]           a GitHub Classroom workflow, on stdout
    autograder.py build-failed LOG RESULTS      results.json for a submission that does
                                                not build (run_autograder uses it)
"""
import argparse
import json
import os
import sys
import zipfile

from grade import HERE, ROOT, load_labs

PACKAGES = ("make gcc gcc-multilib binutils gdb python3 qemu-system-x86 bochs bochsbios "
            "vgabios")

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends %s
""" % PACKAGES

# The course's grader replaces the submission's copy before anything of the submission runs.
RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission (the student's repository).
set -u
source=/autograder/source results=/autograder/results
cd /autograder/submission
rm -rf grade && cp -r "$source/grade" grade
cp "$source/tools/emulator.py" "$source/tools/fluke_image.py" tools/
mkdir -p "$results"
if ! make > "$results/build.log" 2>&1; then
    python3 grade/autograder.py build-failed "$results/build.log" "$results/results.json"
    exit 0
fi
python3 grade/grade.py %s--json "$results/results.json" || true
"""


def _grader_files():
    """(path on disk, path in the zip) of every file of the grader."""
    for directory, subdirs, files in os.walk(HERE):
        subdirs[:] = [d for d in subdirs if d != "__pycache__"]
        for name in sorted(files):
            path = os.path.join(directory, name)
            yield path, os.path.relpath(path, ROOT)
    for name in ("emulator.py", "fluke_image.py"):
        yield os.path.join(ROOT, "tools", name), "tools/" + name


def _executable(zf, name, text):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    zf.writestr(info, text)


def build_zip(out, lab):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        _executable(zf, "setup.sh", SETUP)
        _executable(zf, "run_autograder", RUN % ("--lab %d " % lab if lab is not None else ""))
        for path, name in _grader_files():
            zf.write(path, name)
    print("wrote %s: upload it as the autograder of %s" % (
        out, "lab %d" % lab if lab is not None else "every lab"))


def classroom(lab):
    """A workflow with one step per test, so each test's points count on their own."""
    _, tests = load_labs()
    tests = [t for t in tests if lab is None or t.lab == lab]
    out = ["name: Autograding", "on: [push, workflow_dispatch]", "jobs:", "  grade:",
           "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4",
           "      - run: sudo apt-get update && sudo apt-get install -y " + PACKAGES,
           "      - run: make"]
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


def build_failed(log, results):
    with open(log, errors="replace") as f:
        tail = f.read().splitlines()[-40:]
    data = {"score": 0, "output": "The submission does not build; `make` said:\n\n" +
            "\n".join(tail), "visibility": "visible", "tests": []}
    with open(results, "w") as f:
        json.dump(data, f, indent=2)


def main(argv):
    p = argparse.ArgumentParser(prog="autograder.py")
    sub = p.add_subparsers(dest="command", required=True)
    z = sub.add_parser("zip")
    z.add_argument("--lab", type=int)
    z.add_argument("out")
    c = sub.add_parser("classroom")
    c.add_argument("--lab", type=int)
    b = sub.add_parser("build-failed")
    b.add_argument("log")
    b.add_argument("results")
    args = p.parse_args(argv)
    if args.command == "zip":
        build_zip(args.out, args.lab)
    elif args.command == "classroom":
        classroom(args.lab)
    else:
        build_failed(args.log, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
