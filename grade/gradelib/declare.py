"""How a lab file (grade/lab*.py) declares its tests.

    test("boot-qemu", points=10, expect=[Console(r"^Fluke kernel"), Record("BOOT")])

declares a test that boots a configuration (by default: the disk image, first program
hello), and what the run must show.  Unless a test says which END it expects, it expects a
clean one: End(0).  A test can split its points into parts, each with its own expectations,
for partial credit; the test's own expect= list must hold for any part to score.

    @check("gdb-remote", points=10)
    def gdb_remote(t):
        ...

declares a test written as a function of a Context (context.py), for what a boot and a list
of expectations can not say.  Either kind can run after other tests (after="boot-qemu"):
when one of those fails, it is not run and fails too.

A declaration the grader can not use raises DeclarationError, whose message says what is
wrong and whose fix says what to write instead; the loader (grade.py) adds the file and line.
"""
import difflib
import os
import re
import sys

from .expect import End

# Guest time a test may take, in time-stamp counts: one per instruction executed or per
# nanosecond spent idle.  A test that gives no budget= gets 3 times what it used in a
# solution run, from grade/budgets.txt (budgets.py); one missing there gets this, with a
# warning.  Booting to the first program takes about 11 million as a Multiboot kernel,
# 12.5 to 20 million from the disk image (handouts/grading.md section 4).
DEFAULT_BUDGET = 200000000

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_declared = []
_HERE = os.path.dirname(os.path.abspath(__file__))


class DeclarationError(ValueError):
    """A test declaration that can not work: str() says why, fix what to write instead."""

    def __init__(self, problem, fix):
        super().__init__(problem)
        self.fix = fix


def nearest(name, names):
    """ " (did you mean X?)" for the names closest to name, or ""."""
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    return " (did you mean %s?)" % " or ".join(close) if close else ""


def _callers():
    """(file, line) of each frame that called into this module, innermost first: the lab
    file's lines that declared a test (the loader picks the one in the file it imports)."""
    frames, frame = [], sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if os.path.dirname(os.path.abspath(name)) != _HERE:
            frames.append((name, frame.f_lineno))
        frame = frame.f_back
    return frames


class Boot:
    """A boot configuration: how the kernel is loaded and what its command line says.

    program is the program to run, with args.  Without monitors the kernel starts it itself
    as the first task (init=program args).  With monitors, the first must be "root" (the
    root monitor, which the kernel starts when there is no init=) and the rest are the stack
    it composes, outermost first: the line says stack=a,b prog=program args (an entry may
    be NAME:MODE, e.g. nest:direct; see handouts/overview.md).  ktest runs a
    kernel self-test instead.  keys are more words for the kernel command line, before the
    grader's budget=.  multiboot loads the kernel ELF with QEMU -kernel instead of booting
    the disk image; kernel= and
    initrd= load other files that way (initrd= defaults to the boot file system only when the
    kernel is the project's).  Every run gets a fresh, empty swap disk of its own as the
    second disk (the root's Block; handouts/boot.md); swap=False boots without one, and
    swap=PATH boots with the file PATH as that disk (made empty if missing), kept between
    boots: a later boot of the same test sees what an earlier one wrote (a checkpoint)."""

    def __init__(self, program=None, args=(), monitors=(), ktest=None, keys=(),
                 multiboot=False, kernel=None, initrd=None, swap=True):
        self.monitors = list(monitors)
        if self.monitors and self.monitors[0] != "root":
            raise DeclarationError(
                "Boot(monitors=%r): the first monitor is always root" % self.monitors,
                "start the stack with the root monitor: monitors=%r" % (
                    ["root"] + self.monitors))
        self.program = program
        self.args = list(args)
        self.ktest = ktest
        self.keys = list(keys)
        self.multiboot = multiboot or kernel is not None
        self.kernel = kernel
        self.initrd = initrd
        self.swap = swap

    def cmdline(self, nonce, budget):
        # keys come before the grader's budget=: the kernel takes a key's first value,
        # so a test can give one the grader also writes (a bad budget=, say).
        words = ["nonce=%s" % nonce] + self.keys + ["budget=%d" % budget]
        if self.ktest:
            words.append("ktest=" + self.ktest)
        if self.monitors:
            if self.monitors[1:]:
                words.append("stack=" + ",".join(self.monitors[1:]))
            if self.program:
                words += ["prog=" + self.program] + self.args
        elif self.program:
            words += ["init=" + self.program] + self.args
        return " ".join(words)

    def kernel_path(self, config):
        return self.kernel or config.kernel

    def initrd_path(self, config):
        return self.initrd if self.kernel else (self.initrd or config.bootfs)

    def describe(self):
        how = "Multiboot (-kernel %s)" % (self.kernel or "obj/kern/kernel") \
            if self.multiboot else "disk image"
        if not self.swap:
            how += " with no swap disk"
        elif isinstance(self.swap, str):
            how += " with the kept disk %s" % os.path.basename(self.swap)
        return "%s, command line: %s" % (how, self.cmdline("<nonce>", 0).replace(
            "budget=0", "budget=<budget>"))


class Part:
    """A share of a test's points, scored on its own expectations (or, in a @check test,
    on the `with t.part(name):` block of that name)."""

    def __init__(self, name, points, expect=()):
        self.name, self.points, self.expect = name, points, list(expect)


class Test:
    def __init__(self, name, points=None, boot=None, budget=None, expect=(),
                 parts=(), after=(), emulator=None, gdb=False, wall=None, boots=True, run=None,
                 doc=None):
        if not isinstance(name, str) or not _NAME.match(name):
            raise DeclarationError(
                "test name %r: a name is lower-case letters, digits and '-'" % (name,),
                "name it %r" % (re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
                                or "my-test"))
        total = sum(p.points for p in parts)
        if parts and points is not None and points != total:
            raise DeclarationError(
                "test %s: points=%d but its parts add up to %d" % (name, points, total),
                "leave points= out (the parts decide) or make the parts add up to %d" % points)
        self.name = name
        self.points = total if parts else (points or 0)
        self.boot = boot or Boot()
        # A @check test without boot= makes its machines in its function: booting
        # self.boot by hand (make run-NAME) would show the default shell instead.
        self.own_machines = run is not None and boot is None
        # A budget= given here is the test's own (pinned: a run whose count depends on wall
        # time, as typing at a shell does); else budgets.apply() sets it from the table.
        self.pinned = budget is not None
        self.budget = DEFAULT_BUDGET if budget is None else budget
        self.budget_note = ""       # why the budget is not from the table, when it is not
        self.console_need = 0       # console characters a solution run printed (the table)
        self.expect = list(expect)
        self.parts = list(parts)
        every = self.expect + [e for p in self.parts for e in p.expect]
        if run is None and not any(isinstance(e, End) for e in every):
            self.expect.append(End(0))
        self.after = [after] if isinstance(after, str) else list(after)
        self.emulator = emulator    # None: the one chosen with EMU=; else always this one
        self.gdb = gdb              # needs a gdb stub (skipped under Bochs)
        self.wall = wall            # wall-clock safety net in seconds (None: from the budget)
        self.boots = boots          # False: a @check test that only runs host commands
        self.run = run              # the function of a @check test
        self.doc = doc
        self.lab = None             # set when its lab file is loaded,
        self.suite = None           # with that file's title (a lab may have several files)
        self.regression = False     # an earlier lab's test, run to catch regressions
        self.callers = _callers()   # where it was declared (the loader sets where from it)
        self.where = None           # "grade/labN.py, line L", for messages

    def describe(self):
        """What the test checks, in a line or two, for reports."""
        if self.doc:
            return " ".join(self.doc.split())
        wants = [e.describe() for e in self.expect]
        return "boots %s; expects %s" % (self.boot.describe(), ", ".join(wants))


def test(name, **options):
    """Declare a test; see Test for the options."""
    declared = Test(name, **options)
    _declared.append(declared)
    return declared


def check(name, **options):
    """Declare a test written as a function of a Context."""
    def register(function):
        _declared.append(Test(name, run=function, doc=function.__doc__, **options))
        return function
    return register


def check_names(tests):
    """Refuse two tests of one name, after= names that are no test's, and tests that wait
    for each other.  The error names the test; its where says where it was declared."""
    first = {}
    for t in tests:
        if t.name in first:
            other = first[t.name]
            error = DeclarationError(
                "two tests are named %s%s" % (
                    t.name, " (the other: %s)" % other.where if other.where else ""),
                "rename one of them: test names are unique across every lab")
            error.test = t
            raise error
        first[t.name] = t
    for t in tests:
        for needed in t.after:
            if needed not in first:
                error = DeclarationError(
                    "test %s runs after %r, which is no test%s" % (
                        t.name, needed, nearest(needed, first)),
                    "name a declared test in after= (grade.py --list lists them)")
                error.test = t
                raise error
    done = set()
    for t in tests:                     # after= must not loop: a -> b -> ... -> a
        path, todo = [], [(t, iter(t.after))]
        on_path = {t.name}
        path.append(t.name)
        while todo:
            current, rest = todo[-1]
            step = next(rest, None)
            if step is None:
                todo.pop()
                on_path.discard(path.pop())
                done.add(current.name)
                continue
            if step in on_path:
                loop = path[path.index(step):] + [step]
                error = DeclarationError(
                    "tests wait for each other in a loop: %s" % " runs after ".join(loop),
                    "drop one of these after= so that one of them can run first")
                error.test = first[step]
                raise error
            if step not in done:
                on_path.add(step)
                path.append(step)
                todo.append((first[step], iter(first[step].after)))


def take_declared():
    """The tests declared since the last call, in order (the loader calls this after
    importing each lab file)."""
    tests = list(_declared)
    del _declared[:]
    return tests
