"""Each test's budget, from what it needs: the table grade/budgets.txt.

The table holds, per test, what a solution run under QEMU used: its guest counts (as the
kernel counts budget=, handouts/boot.md section 2) from the kernel's start, the most any
of its machines used, and the console characters it printed.  A budget counts from the
kernel's start (its BOOT record), never from the reset: the boot before it is the host's
doing, since the boot loader polls the disk until QEMU, in host time, has read each sector
(12.5 million counts on an idle host, once 147 million with both cores kept busy by stress
and two test runs; handouts/grading.md section 4).  `make grade-budgets` runs the tests
with a generous budget and rewrites the rows of those that passed.  A test that gives no
budget= of its own gets FACTOR times its counts plus ALLOWANCE, so a guest that loops is
stopped at about 3 times the need.  A test missing from the table gets DEFAULT_BUDGET,
and grade.py prints a note.

Under Bochs the console costs about 87,000 counts a character (bochs.py), so the table's
console column gives each test FACTOR times its characters' worth on top (bochs_budget).
"""
import os

from .declare import DEFAULT_BUDGET
from .runner import PASS

FACTOR = 3
ALLOWANCE = 100000000       # on top of FACTOR times the need, for every test
ROUND = 1000000
MEASURE_BUDGET = 2000000000     # what each test gets while make grade-budgets measures
TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "budgets.txt")

HEADER = """\
# What each test used in a solution run under QEMU; `make grade-budgets` rewrites the rows of
# the tests it ran and passed (GRADEFLAGS="name ..." for only those).  A test's budget is
# %d times its counts plus %dM (handouts/grading.md section 4); a budget= in its
# declaration overrides the table.
#   counts: guest counts, as the kernel counts budget= (handouts/boot.md section 2), from
#           the kernel's start (its BOOT record), in its longest run
#   console: the characters its console printed (Bochs budgets add time for each)
# test                                      counts    console
""" % (FACTOR, ALLOWANCE // 1000000)


class TableError(ValueError):
    """A row of the table that can not be read; the message names the line."""


def read(path=TABLE):
    """{test name: (counts, console characters)}; {} when there is no table."""
    table = {}
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return table
    for number, text in enumerate(lines, 1):
        words = text.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 3 or not words[1].isdigit() or not words[2].isdigit():
            raise TableError("%s, line %d: %r is not 'test counts console' (fix it, or rerun "
                             "make grade-budgets)" % (os.path.relpath(path), number, text))
        table[words[0]] = (int(words[1]), int(words[2]))
    return table


def write(table, path=TABLE):
    with open(path, "w") as f:
        f.write(HEADER)
        for name in sorted(table):
            counts, chars = table[name]
            f.write("%-40s %12d %10d\n" % (name, counts, chars))


def budget_for(counts):
    """The budget of a test that needs counts from the kernel's start: FACTOR times, plus
    ALLOWANCE, rounded up."""
    return -(-(FACTOR * counts + ALLOWANCE) // ROUND) * ROUND


def apply(tests, path=TABLE):
    """Give each test that has no budget= of its own its budget from the table; a test the
    table lacks keeps DEFAULT_BUDGET, and its budget_note says so (unless it boots no
    machine, and needs none).  Returns the table."""
    table = read(path)
    for t in tests:
        if t.pinned:
            t.console_need = table.get(t.name, (0, 0))[1]
            continue
        if t.name in table:
            counts, t.console_need = table[t.name]
            t.budget, t.budget_note = budget_for(counts), ""
        else:
            t.budget, t.console_need = DEFAULT_BUDGET, 0
            t.budget_note = "no row in %s" % os.path.relpath(path) if t.boots else ""
    return table


def missing_note(tests):
    """The warning for the tests without a row, or ""."""
    missing = [t.name for t in tests if t.budget_note]
    if not missing:
        return ""
    shown = ", ".join(missing[:8]) + (" and %d more" % (len(missing) - 8)
                                      if len(missing) > 8 else "")
    return ("%d test%s %s no measured need in grade/budgets.txt (%s), so %s the default "
            "budget of %dM; `make grade-budgets GRADEFLAGS=\"%s\"` measures %s" % (
                len(missing), "" if len(missing) == 1 else "s",
                "has" if len(missing) == 1 else "have", shown,
                "it gets" if len(missing) == 1 else "each gets", DEFAULT_BUDGET // 1000000,
                " ".join(missing[:3]), "it" if len(missing) == 1 else "them"))


def for_measuring(tests):
    """Give every test that takes its budget from the table the generous MEASURE_BUDGET."""
    for t in tests:
        if not t.pinned:
            t.budget = MEASURE_BUDGET


def measured(table, results):
    """Update table with the need of each test that passed; returns the lines saying what
    changed and which tests were left as they were."""
    out, kept = [], []
    for r in results:
        if r.test.lab is None or not r.test.boots:
            continue
        if r.status != PASS or r.need is None:
            kept.append(r.name)
            continue
        old = table.get(r.name)
        table[r.name] = r.need
        if old is None or budget_for(old[0]) != budget_for(r.need[0]):
            out.append("  %-40s needs %d counts: budget %dM%s" % (
                r.name, r.need[0], budget_for(r.need[0]) // 1000000,
                " (was %dM)" % (budget_for(old[0]) // 1000000) if old else " (new)"))
    if kept:
        out.append("not measured (failed or skipped), rows kept as they were: " +
                   ", ".join(kept))
    return out
