"""What the grader prints and writes: a live line per test, failure reports, the final
table, Gradescope's results.json and JUnit XML.  Output is plain ASCII: whatever a guest
printed is escaped and cut (bounded.shown), and at most WHOLE console lines are shown."""
import json
import os
import re
import xml.etree.ElementTree as ET

from . import symbols
from .bounded import shown
from .runner import FAIL, PASS, SKIP

TAIL = 30           # console lines shown with a failure
WHOLE = 1000        # console lines shown by -v and kept in JUnit: the last ones


def _points(r):
    if r.test.points == 0 and not r.test.parts:
        return ""
    if r.status == SKIP:
        return "-/%d" % r.test.points
    return "%d/%d" % (r.score, r.test.points)


def _usage(r):
    return r.run.usage() if r.run else ""


def line(r, width=24):
    """The live line of a finished test; width is the longest test name's."""
    note = r.reason if r.status == SKIP else _usage(r)
    return "%-4s  %-*s %7s %6.1fs  %s" % (r.status.upper(), width, r.name, _points(r),
                                          r.seconds, shown(note.split("\n")[0]))


def _repro(r, config):
    emu = " EMU=bochs" if config.emu == "bochs" and not r.test.emulator else ""
    return "reproduce: make run-%s%s    under gdb: make grade-debug TEST=%s%s" % (
        r.name, emu, r.name, emu)


def console_excerpt(r, config, whole=False):
    """The end of the console (with whole, its last WHOLE lines), from the start of a panic
    report if there is one, with code addresses symbolized; returns (heading, lines)."""
    lines = r.run.console.splitlines()
    start = max(0, len(lines) - (WHOLE if whole else TAIL))
    panics = [i for i, s in enumerate(lines) if re.search(r"panic", s, re.I)]
    if panics and panics[-1] < start:
        start = max(panics[-1], len(lines) - 2 * TAIL)
    shown = "\n".join(lines[start:])
    kernel = r.test.boot.kernel_path(config)
    note = ""
    if os.path.exists(kernel):
        shown = symbols.symbols(kernel).annotate(shown)
        note = ", addresses symbolized"
    heading = "console, last %d of %d lines (%s%s):" % (
        len(lines) - start, len(lines), os.path.join(r.workdir, "console.txt"), note)
    return heading, shown.splitlines()


def _indented(head, text):
    """head and text's first line, then its other lines lined up under it."""
    lines = text.splitlines() or [""]
    return [head + lines[0]] + [" " * len(head) + s for s in lines[1:]]


def details(r, config, verbose=False):
    """The report under a test's line: why it failed and how to reproduce it; with verbose,
    also what it checks and everything it printed."""
    out = []
    if verbose:
        out.append("what: " + r.test.describe())
    if r.status == FAIL:
        out += _indented("reason: ", r.reason)
        for expected, got in r.mismatches:
            if r.reason not in (got, "expected %s: got %s" % (expected, got)):
                out += ["expected %s" % expected] + _indented("     got ", got)
    for name, points, score, why in r.parts:
        out.append("part %s: %d/%d%s" % (name, score, points,
                                         " (%s)" % why if why and verbose else ""))
    if r.run and (r.status == FAIL or verbose):
        if r.run.records.stray:
            out.append("ignored %d record line(s) without this run's nonce, e.g. %r"
                       % (len(r.run.records.stray), r.run.records.stray[0]))
        heading, lines = console_excerpt(r, config, whole=verbose)
        if verbose:
            out += ["command: " + r.run.command, "kernel command line: " + r.run.cmdline,
                    "files: " + r.workdir]
        out += [heading] + ["| " + s for s in lines]
        if verbose:
            out += ["records:"] + ["| %s %s" % rec for rec in r.run.records.good]
    if r.flaky:
        out.append("reruns: " + r.flaky)
    if r.status == FAIL and r.test.lab is not None:
        out.append(_repro(r, config))
    return ["      " + shown(line) for s in out for line in s.splitlines() or [""]]


def rerun_heading(results, times):
    """What --rerun is about to do: how many failures it reruns, and which it does not
    (those that never ran, since a test they need failed)."""
    failing = [r for r in results if r.status == FAIL]
    ran = [r for r in failing if r.ran]
    never = [r.name for r in failing if not r.ran]
    head = "rerunning %d failing test%s %d time%s each" % (
        len(ran), "" if len(ran) == 1 else "s", times, "" if times == 1 else "s")
    if never:
        head += "; not rerunning %d that never ran, since a test they need failed (%s)" % (
            len(never), ", ".join(never))
    return head + "..."


def _section(results):
    return sum(r.score for r in results), sum(r.test.points for r in results
                                              if r.status != SKIP)


def lab_totals(results, labs):
    """The grand totals under the table: each lab's points over all of its files' sections
    (lab 0 has several), and, when more than one lab was graded, every lab's together."""
    out, score, most = [], 0, 0
    for number in sorted({n for n, _ in labs}):
        mine = [r for r in results if r.test.lab == number and not r.test.regression]
        if not mine:
            continue
        got, top = _section(mine)
        sections = len({r.test.suite for r in mine})
        head = "lab %d in all" % number + (" (its %d sections above)" % sections
                                           if sections > 1 else "")
        out.append("%-47s%d/%d" % (head, got, top))
        score, most = score + got, most + top
    if len(out) > 1:
        out.append("%-47s%d/%d" % ("every lab in all (%d labs)" % len(out), score, most))
    return ["=" * 56] + out if out else []


def table(results, labs, graded_lab, seconds, jobs):
    """The final summary: points per lab and part, regressions, self-tests, wall time, and
    last the line "N passed, M failed"."""
    out = []
    for number, title in labs:
        mine = [r for r in results if r.test.lab == number and r.test.suite == title and
                not r.test.regression]
        if not mine:
            continue
        score, most = _section(mine)
        out.append("lab %d: %s%s%d/%d" % (number, title, " " * max(1, 40 - len(title)),
                                          score, most))
        for r in mine:
            out.append("  %-44s %s" % (r.name, _points(r) if r.status != SKIP else
                                       "skipped: " + r.reason))
            for name, points, got, _ in r.parts:
                out.append("      %-40s %d/%d" % (name, got, points))
    out += lab_totals(results, labs)
    old = [r for r in results if r.test.regression]
    if old:
        broken = [r.name for r in old if r.status == FAIL]
        if graded_lab is not None:
            score, most = _section([r for r in results if r.test.lab == graded_lab])
            head = "lab %d: %d/%d; regressions from earlier labs: " % (graded_lab, score, most)
        else:
            head = "regressions from earlier labs: "
        out.append(head + ("%d test%s fail%s (%s)" % (
            len(broken), "" if len(broken) == 1 else "s", "s" if len(broken) == 1 else "",
            ", ".join(broken)) if broken else "none (%d tests pass)" % len(old)))
    selftests = [r for r in results if r.test.lab is None]
    if selftests:
        good = sum(1 for r in selftests if r.status == PASS)
        out.append("grader self-tests: %d of %d passed" % (good, len(selftests)))
    passed = sum(1 for r in results if r.status == PASS)
    failed = sum(1 for r in results if r.status == FAIL)
    skipped = len(results) - passed - failed
    out.append("wall time %.1f s with %d job%s%s" % (
        seconds, jobs, "" if jobs == 1 else "s",
        "; %d skipped" % skipped if skipped else ""))
    out.append("%d passed, %d failed" % (passed, failed))
    return out


def _title(r):
    if r.test.lab is None:
        return "self-test: " + r.name
    return "%slab %d: %s" % ("regression: " if r.test.regression else "", r.test.lab, r.name)


def _text(r, config):
    return "\n".join([line(r).rstrip()] + [s[6:] for s in details(r, config)])


def gradescope(results, config, seconds, summary):
    """Gradescope's results.json: the score counts the graded tests (not regressions,
    skipped tests or self-tests, which carry max_score 0)."""
    tests = []
    for r in results:
        graded = r.test.lab is not None and not r.test.regression and r.status != SKIP
        entry = {"name": _title(r), "score": r.score if graded else 0,
                 "max_score": r.test.points if graded else 0,
                 "output": _text(r, config), "visibility": "visible"}
        if r.status != SKIP:
            entry["status"] = "passed" if r.status == PASS else "failed"
        tests.append(entry)
    return {"score": sum(t["score"] for t in tests), "execution_time": round(seconds, 1),
            "output": "\n".join(summary), "visibility": "visible",
            "stdout_visibility": "visible", "tests": tests}


def junit(results, config, seconds):
    """JUnit XML: a testsuite per lab (and one for the self-tests)."""
    root = ET.Element("testsuites", name="fluke", time="%.2f" % seconds)
    suites = {}
    for r in results:
        key = "selftest" if r.test.lab is None else "lab%d" % r.test.lab
        if key not in suites:
            suites[key] = ET.SubElement(root, "testsuite", name=key)
        case = ET.SubElement(suites[key], "testcase", classname=key, name=r.name,
                             time="%.2f" % r.seconds)
        if r.status == FAIL:
            failure = ET.SubElement(case, "failure", message=shown(r.reason.split("\n")[0]),
                                    type="failure")
            failure.text = _text(r, config)
        elif r.status == SKIP:
            ET.SubElement(case, "skipped", message=shown(r.reason.split("\n")[0]))
        if r.run:
            ET.SubElement(case, "system-out").text = "\n".join(
                shown(s) for s in r.run.console.splitlines()[-WHOLE:])
    for element in [root] + list(suites.values()):
        cases = list(element.iter("testcase"))
        element.set("tests", str(len(cases)))
        element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    return ET.tostring(root, encoding="unicode")


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
