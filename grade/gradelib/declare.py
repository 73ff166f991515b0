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
"""
import re

from .expect import End

# Guest time a test may take, in time-stamp counts: one per instruction executed or per
# nanosecond spent idle.  Booting to the first program takes about 10 million.
DEFAULT_BUDGET = 200000000

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_declared = []


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
    kernel is the project's)."""

    def __init__(self, program=None, args=(), monitors=(), ktest=None, keys=(),
                 multiboot=False, kernel=None, initrd=None):
        self.monitors = list(monitors)
        if self.monitors and self.monitors[0] != "root":
            raise ValueError("monitors=%r: the first monitor is always root" % self.monitors)
        self.program = program
        self.args = list(args)
        self.ktest = ktest
        self.keys = list(keys)
        self.multiboot = multiboot or kernel is not None
        self.kernel = kernel
        self.initrd = initrd

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
        return "%s, command line: %s" % (how, self.cmdline("<nonce>", 0).replace(
            "budget=0", "budget=<budget>"))


class Part:
    """A share of a test's points, scored on its own expectations (or, in a @check test,
    on the `with t.part(name):` block of that name)."""

    def __init__(self, name, points, expect=()):
        self.name, self.points, self.expect = name, points, list(expect)


class Test:
    def __init__(self, name, points=None, boot=None, budget=DEFAULT_BUDGET, expect=(),
                 parts=(), after=(), emulator=None, gdb=False, wall=None, boots=True, run=None,
                 doc=None):
        if not _NAME.match(name):
            raise ValueError("test name %r: use lower-case letters, digits and '-'" % name)
        total = sum(p.points for p in parts)
        if parts and points is not None and points != total:
            raise ValueError("test %s: points=%d but its parts add up to %d"
                             % (name, points, total))
        self.name = name
        self.points = total if parts else (points or 0)
        self.boot = boot or Boot()
        self.budget = budget
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
    """Refuse two tests of one name, and after= names that are no test's."""
    names = [t.name for t in tests]
    for t in tests:
        if names.count(t.name) > 1:
            raise ValueError("two tests are named %s" % t.name)
        for needed in t.after:
            if needed not in names:
                raise ValueError("test %s runs after %s, which is no test" % (t.name, needed))


def take_declared():
    """The tests declared since the last call, in order (the loader calls this after
    importing each lab file)."""
    tests = list(_declared)
    del _declared[:]
    return tests
