#!/usr/bin/env python3
"""Fluke's grader (handouts/grading.md).  Usually run through make:

    make grade                  every lab's tests
    make grade-labN             lab N's tests, and earlier labs' tests as regressions
    make test                   the grader's self-tests and every lab's tests, one tally
    make grade-debug TEST=name  boot that test's configuration halted under gdb
    make run-name               boot it with the console in the terminal

    grade.py [options] [TEST or LAB ...]

Exits 0 only when every test that ran passed.  Python 3.9+ standard library only.
"""
import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from gradelib import budgets, declare, layers, loader, report, runner, stop  # noqa: E402
from gradelib.errors import Failure, Skip  # noqa: E402
from gradelib.interactive import boot_by_hand  # noqa: E402
from gradelib.loader import LabError  # noqa: E402


class Config:
    """Where things are and which tools to use; tests read it as t.config."""

    def __init__(self, args):
        self.root = ROOT
        self.image = os.path.abspath(args.image)
        self.kernel = os.path.abspath(args.kernel)
        self.bootfs = os.path.abspath(args.bootfs)
        self.qemu, self.gdb, self.bochs = args.qemu, args.gdb, args.bochs
        self.emu = args.emu
        self.artifacts = os.path.abspath(args.artifacts)


def load_labs():
    """Run every grade/lab*.py; returns [(number, title)] in order, and their tests.  A lab
    file the grader can not use raises LabError, with the file, the line and the fix."""
    return loader.load(HERE, ROOT)


def load_selftests():
    """The grader's own unit tests (grade/selftest/test_*.py), each as a test of no lab."""
    suite = unittest.TestLoader().discover(os.path.join(HERE, "selftest"), top_level_dir=HERE)
    tests = []

    def flatten(s):
        for item in s:
            if isinstance(item, unittest.TestSuite):
                flatten(item)
            else:
                module, method = item.id().split(".")[-3], item.id().split(".")[-1]
                name = "%s-%s" % (module[5:], method[5:])
                tests.append(declare.Test(name.replace("_", "-"), run=_unit(item),
                                          doc=item.shortDescription(), boots=False))
    flatten(suite)
    return tests


def _unit(case):
    def run(t):
        result = unittest.TestResult()
        case.run(result)
        for _, reason in result.skipped:
            raise Skip(reason)
        problems = result.errors + result.failures
        if problems:
            raise Failure(problems[0][1].strip())
    return run


LIST_HINT = "`make grade-debug` (with no TEST=) lists every test"


def no_test(name, tests, what="test"):
    """The message for a test name that is no test's: the nearest names, and how to list."""
    return "grade.py: no %s %r%s; %s" % (what, name, declare.nearest(
        name, [t.name for t in tests]), LIST_HINT)


def no_lab(number, labs):
    """The message for a lab number that is no lab's: the labs there are."""
    numbers = sorted({n for n, _ in labs})
    if not numbers:
        return "grade.py: there is no lab %s: no lab file (grade/lab*.py) declares one" % number
    each = ["lab %d (%s)" % (n, ", ".join(t for m, t in labs if m == n)) for n in numbers]
    listed = each[0] if len(each) == 1 else ", ".join(each[:-1]) + " and " + each[-1]
    return "grade.py: there is no lab %s; the labs are %s: `make grade-lab%d` grades lab %d" % (
        number, listed, numbers[-1], numbers[-1])


def select(tests, wanted, labs=()):
    """The tests named in wanted (names or lab numbers), with the tests they run after."""
    by_name = {t.name: t for t in tests}
    chosen = set()
    for w in wanted:
        number = w[3:] if w.startswith("lab") else w
        if number.isdigit():
            if not any(t.lab == int(number) for t in tests):
                sys.exit(no_lab(number, labs))
            chosen |= {t.name for t in tests if t.lab == int(number)}
        elif w in by_name:
            chosen.add(w)
        else:
            sys.exit(no_test(w, tests, "test or lab"))
    todo = list(chosen)
    while todo:
        for dep in by_name[todo.pop()].after:
            if dep in by_name and dep not in chosen:
                chosen.add(dep)
                todo.append(dep)
    return [t for t in tests if t.name in chosen]


def parse(argv):
    p = argparse.ArgumentParser(prog="grade.py", description="Grade Fluke labs.")
    p.add_argument("tests", nargs="*", metavar="TEST", help="test names or lab numbers")
    p.add_argument("--lab", type=int, help="grade lab N; earlier labs run as regressions")
    p.add_argument("--selftest", action="store_true", help="also run the grader's self-tests")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="tests run in parallel (default: one per core)")
    p.add_argument("-v", "--verbose", action="store_true", help="show everything")
    p.add_argument("--json", metavar="FILE", help="write Gradescope's results.json")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    p.add_argument("--rerun", type=int, default=0, metavar="N",
                   help="rerun each failing test N times: deterministic or a race?")
    p.add_argument("--list", action="store_true", help="list the tests and exit")
    p.add_argument("--measure-budgets", action="store_true",
                   help="run the tests with a generous budget and write what each used "
                   "into grade/budgets.txt (make grade-budgets)")
    p.add_argument("--run", metavar="TEST", help="boot TEST's configuration by hand")
    p.add_argument("--debug", metavar="TEST", help="... halted under gdb")
    p.add_argument("--gdbport", type=int, help="grade-debug's GDB port (default: a free one "
                   "from 26000 + uid %% 4000 on, as make qemu-gdb picks)")
    p.add_argument("--gdbinit", default=os.path.join(ROOT, ".gdbinit"),
                   help="what --debug's gdb runs (make renders it for --gdbport)")
    p.add_argument("--emu", choices=["qemu", "bochs"], default="qemu")
    p.add_argument("--image", default=os.path.join(ROOT, "obj/fluke.img"))
    p.add_argument("--kernel", default=os.path.join(ROOT, "obj/kern/kernel"))
    p.add_argument("--bootfs", default=os.path.join(ROOT, "obj/bootfs.img"))
    p.add_argument("--qemu", default="qemu-system-i386")
    p.add_argument("--gdb", default="gdb")
    p.add_argument("--bochs", default="bochs")
    p.add_argument("--regressions-from", type=int, default=0, metavar="K",
                   help="with --lab and no TEST: leave out the regressions of labs below K")
    p.add_argument("--layers", metavar="FILE", help="labs/ref/LAYERS of an exported lab tree")
    p.add_argument("--ref-image", metavar="IMAGE", help="the image with the reference layers")
    p.add_argument("--ref-bootfs", metavar="BOOTFS", help="its boot file system")
    p.add_argument("--mine", action="store_true",
                   help="run every test on your own layers, none on the reference ones")
    p.add_argument("--artifacts", default=os.path.join(ROOT, "obj/grade"),
                   help="where each test keeps its files")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("-j needs at least 1")
    return args


def main(argv):
    args = parse(argv)
    stop.install()
    sys.stdout.reconfigure(errors="replace")        # a console may hold any bytes
    config = Config(args)
    try:
        labs, tests = load_labs()
    except LabError as e:
        print("grade.py: a lab file can not be used:\n" + str(e), file=sys.stderr)
        return 2
    for warning in loader.unknown_programs(tests, config.bootfs, ROOT):
        print("grade.py: warning: " + warning, file=sys.stderr)
    if args.list:
        for t in tests:
            print("lab %d  %-24s %3d points  %s" % (t.lab, t.name, t.points, t.describe()))
        return 0
    if args.run or args.debug:
        name = args.run or args.debug
        found = [t for t in tests if t.name == name]
        if not found:
            sys.exit(no_test(name, tests))
        notes = _layers(found, config, args)
        if notes:
            print("\n".join(notes[1:] or notes))
        return boot_by_hand(found[0], layers.config_for(found[0], config),
                            debug=bool(args.debug), gdbport=args.gdbport, gdbinit=args.gdbinit)
    if args.lab is not None:
        if args.lab not in [n for n, _ in labs]:
            sys.exit(no_lab(args.lab, labs))
        tests = [t for t in tests if t.lab <= args.lab]
        for t in tests:
            t.regression = t.lab < args.lab
        if not args.tests:
            tests = [t for t in tests if not t.regression or t.lab >= args.regressions_from]
    if args.tests:
        tests = select(tests, args.tests, labs)
    if args.measure_budgets:
        budgets.for_measuring(tests)
    else:
        missing = budgets.missing_note(tests)
        if missing:
            print("grade.py: note: " + missing, file=sys.stderr)
    notes = _layers(tests, config, args)
    if args.selftest:
        tests = load_selftests() + tests
    return grade(tests, labs, config, args, notes)


def _layers(tests, config, args):
    """Which binary of each layer the tests run (gradelib/layers.py): the lines saying it."""
    try:
        return layers.assign(tests, config, args.layers, args.lab, args.mine, args.ref_image,
                             args.ref_bootfs)
    except ValueError as e:
        sys.exit("grade.py: %s" % e)


def grade(tests, labs, config, args, notes=()):
    started = time.monotonic()
    if notes:
        print(notes[0])
    print("grading %d test%s on %s with %d job%s; each test's files go to %s/<test>/" % (
        len(tests), "" if len(tests) == 1 else "s", config.emu, args.jobs,
        "" if args.jobs == 1 else "s", os.path.relpath(config.artifacts)))

    width = max([len(t.name) for t in tests] + [10])

    def show(result):
        print(report.line(result, width).rstrip(), flush=True)
        if result.status == runner.FAIL or args.verbose:
            for text in report.details(result, config, args.verbose):
                print(text.rstrip())

    try:
        results = runner.run_all(tests, config, args.jobs, show)
        failing = [r for r in results if r.status == runner.FAIL]
        if args.rerun and failing:
            print(report.rerun_heading(results, args.rerun))
            runner.rerun_failures(results, config, args.rerun, args.jobs)
            for r in failing:
                if r.flaky:
                    print("  %-24s %s" % (r.name, r.flaky))
        stop.check()
    except KeyboardInterrupt as e:
        try:
            print("\n%s; every emulator was stopped" % (
                "stopped by %s" % e if isinstance(e, stop.Stopped) else "interrupted"))
        except OSError:         # SIGHUP: the terminal may be gone
            pass
        return stop.exit_status(e)
    seconds = time.monotonic() - started
    if args.measure_budgets:
        table = budgets.read()
        changes = budgets.measured(table, results)
        budgets.write(table)
        print("\nwrote %s (%d tests)%s" % (os.path.relpath(budgets.TABLE), len(table),
                                          ":" if changes else ": no budget changed"))
        print("\n".join(changes))
    summary = report.table(results, labs, args.lab, seconds, args.jobs)
    if args.json:
        report.write_json(args.json, report.gradescope(results, config, seconds, summary))
    if args.junit:
        with open(args.junit, "w") as f:
            f.write(report.junit(results, config, seconds) + "\n")
    print("\n" + "\n".join(list(notes) + summary))
    return 1 if any(r.status == runner.FAIL for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
