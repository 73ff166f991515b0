"""What a test expects of a run.

Each expectation has describe(), what it wants in a few words, and check(run), which returns
None when the run meets it and otherwise what the run did instead.  Records count only with
this run's nonce (records.py); console checks are for human-facing text.
"""
import re


class Console:
    """A console line matches the regular expression."""

    def __init__(self, pattern):
        self.pattern = pattern

    def describe(self):
        return "a console line matching /%s/" % self.pattern

    def check(self, run):
        if re.search(self.pattern, run.console, re.M):
            return None
        return "no such line among %d console lines" % len(run.console.splitlines())


class NoConsole(Console):
    """No console line matches the regular expression."""

    def describe(self):
        return "no console line matching /%s/" % self.pattern

    def check(self, run):
        m = re.search(self.pattern, run.console, re.M)
        if not m:
            return None
        start = run.console.rfind("\n", 0, m.start()) + 1
        return "the console has %r" % run.console[start:].split("\n", 1)[0]


class ConsoleNumber(Console):
    """A console line matches the regular expression, and the number its first group
    captures is at least low and below high (both numbers, as the line prints them)."""

    def __init__(self, pattern, low, high):
        super().__init__(pattern)
        self.low, self.high = low, high

    def describe(self):
        return "a console line matching /%s/ with a number from %d up to (not including) %d" % (
            self.pattern, self.low, self.high)

    def check(self, run):
        lines = list(re.finditer(self.pattern, run.console, re.M))
        if not lines:
            return super().check(run)
        numbers = [int(m.group(1)) for m in lines]
        if any(self.low <= n < self.high for n in numbers):
            return None
        return "the line says %d, not from %d up to %d" % (numbers[0], self.low, self.high)


class Record:
    """A record of this kind carrying the nonce, whose text matches pattern (if given);
    with count, exactly that many such records (0: none)."""

    def __init__(self, kind, pattern=None, count=None):
        self.kind, self.pattern, self.count = kind, pattern, count

    def describe(self):
        match = " matching /%s/" % self.pattern if self.pattern else ""
        if self.count is None:
            return "a %s record%s" % (self.kind, match)
        return "exactly %d %s record%s%s" % (self.count, self.kind,
                                             "" if self.count == 1 else "s", match)

    def check(self, run):
        texts = run.records.texts(self.kind)
        found = [t for t in texts if self.pattern is None or re.search(self.pattern, t)]
        if (len(found) > 0) if self.count is None else (len(found) == self.count):
            return None
        if self.count is not None:
            return "%d such records%s" % (len(found), (": " + "; ".join(found)) if found else "")
        if texts:
            return "%s records: %s" % (self.kind, "; ".join(texts))
        return _none_of(run, self.kind)


class Passed:
    """The program test name wrote PASS name and never FAIL name."""

    def __init__(self, name):
        self.name = name

    def describe(self):
        return "PASS %s" % self.name

    def check(self, run):
        result, reason = run.records.program(self.name)
        if result == "pass":
            return None
        if result == "fail":
            return "FAIL %s %s" % (self.name, reason)
        began = " (it wrote BEGIN %s)" % self.name if run.records.began(self.name) else ""
        return _none_of(run, "PASS") + began


class End:
    """The kernel wrote END status=N, and the emulator stopped the way the kernel asked."""

    def __init__(self, status=0):
        self.status = status

    def describe(self):
        return "END status=%d" % self.status

    def check(self, run):
        if run.end_status() != self.status:
            return run.describe()
        if not run.exit_ok:
            return "END status=%d, but %s" % (self.status, run.exit_note)
        return None


class Deadlock(End):
    """The run ended in a deadlock (every thread blocked for good: the kernel's DEADLOCK
    record, or an IDLE one with no more input to come), and the report of the blocked
    threads matches each of the regular expressions.  It says how the run ends, as End
    does, so a test with it expects no END status=0."""

    HEAD = "deadlock: every thread is blocked: "

    def __init__(self, *patterns):
        super().__init__(None)
        self.patterns = patterns

    def describe(self):
        return "a deadlock report" + "".join(" matching /%s/" % p for p in self.patterns)

    def check(self, run):
        why = run.describe()
        if not why.startswith(self.HEAD):
            return why
        missing = [p for p in self.patterns if not re.search(p, why)]
        return "%s (not matching /%s/)" % (why, missing[0]) if missing else None


def _none_of(run, kind):
    stray = run.records.stray_of(kind)
    if stray:
        return "no %s record with this run's nonce; ignored %d without it, e.g. %r" % (
            kind, len(stray), stray[0])
    return "no %s record" % kind
