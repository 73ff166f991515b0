"""Test records from I/O port 0xE9 (handouts/boot.md, section 4).

A record is one line, "FLUKE <nonce> <KIND> <text>".  Only records that carry this run's
nonce count; any other line that mentions FLUKE is kept as stray, to be reported and never
trusted, so stray output can not fake a result.

The line rule, the kernel's too (kern/debug/record.c): lines end at "\n" and nowhere else,
and a line counts only if it is printable ASCII (0x20-0x7e) throughout, so no carriage
return, form feed, U+2028 or other character that str.splitlines() would split at can
make one line read as two.  (A "\r" just before the "\n" is dropped: Bochs ends its
own lines with "\r\n".)

When no thread can run, the kernel says what each waits on: a DEADLOCK record (nothing can
wake one; the run ends, END status=4) or an IDLE record (some wait for console input,
input= characters came so far), each followed by one BLOCKED record per thread.  An IDLE
machine is deadlocked once the grader has typed all it will and the guest has received
all of it (idle_deadlock); IdleWatch follows the records as they come, for the watchdog.
"""
import collections
import re

from .bounded import LINE_KEEP

KINDS = ("BOOT", "BEGIN", "PASS", "FAIL", "METRIC", "INFO", "PANIC", "TIMEOUT", "IDLE",
         "DEADLOCK", "BLOCKED", "END")

Record = collections.namedtuple("Record", "kind text")

_RECORD = re.compile(r"FLUKE (\S+) ([A-Z]+)(?: (.*))?$")
_PRINTABLE = re.compile(r"[ -~]*\Z")


def lines(text):
    """The lines of port 0xE9 output, by the line rule: split at "\n" only."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def printable(line):
    return _PRINTABLE.match(line) is not None


def fields(text):
    """The key=value words of a record's text, as a dict of strings."""
    return dict(w.split("=", 1) for w in text.split() if "=" in w)


# What a BLOCKED record's waits= means (kern/debug/blocked.c), {on} its object and
# {other} the thread it waits for.
_WAITS = {
    "mutex": "waits for mutex {on}, held by thread {other}",
    "condition": "waits on condition {on}",
    "receive": "waits to receive on port set {on}",
    "server": "waits for a server of port {on}",
    "peer": "waits for its IPC peer, thread {other}",
    "reply": "waits for the reply of thread {other}",
    "keeper": "waits for a keeper to take its fault, at port {on}",
    "keeper-reply": "waits for its keeper, thread {other}, to answer",
    "console-input": "waits for console input",
    "stopped": "is stopped, and no thread can resume it",
}


def blocked(text):
    """A BLOCKED record's text, in words."""
    f = fields(text)
    if "more" in f:
        return "and %s more" % f["more"]
    other = "%s (%s)" % (f.get("other", "?"), f.get("otherprog", "?"))
    waits = _WAITS.get(f.get("waits"), "waits on something unknown (%s)" % f.get("waits"))
    return "thread %s (%s, space %s, eip %s) %s" % (
        f.get("thread", "?"), f.get("prog", "?"), f.get("space", "?"), f.get("eip", "?"),
        waits.format(on=f.get("on", "?"), other=other))


class Stall:
    """An IDLE or DEADLOCK record and the BLOCKED records after it."""

    def __init__(self, kind, text):
        self.kind, self.fields, self.blocked = kind, fields(text), []

    def complete(self):
        """Whether every thread the header counts has its BLOCKED record (or more=)."""
        more = sum(int(fields(b).get("more", "0")) for b in self.blocked)
        return len(self.blocked) - (more > 0) + more >= int(self.fields.get("threads", "0"))

    def describe(self):
        threads = "; ".join(blocked(b) for b in self.blocked) or "no thread is left"
        return "every thread is blocked: " + threads


class Records:
    def __init__(self, text, nonce):
        self.good = []      # Records with this run's nonce, in the order written
        self.stray = []     # lines that mention FLUKE but are not such records
        for line in lines(text):
            at = line.find("FLUKE ")
            if at < 0:
                continue
            whole, line = printable(line), line[at:].rstrip(" ")
            m = _RECORD.match(line)
            if whole and m and m.group(1) == nonce and m.group(2) in KINDS:
                self.good.append(Record(m.group(2), m.group(3) or ""))
            else:
                self.stray.append(line)

    def texts(self, kind):
        return [r.text for r in self.good if r.kind == kind]

    def stray_of(self, kind):
        return [line for line in self.stray if re.search(r"\b%s\b" % kind, line)]

    def end_status(self):
        """The status of the END record, or None when there is none."""
        ends = self.texts("END")
        if not ends:
            return None
        status = fields(ends[-1]).get("status", "")
        return int(status) if status.isdigit() else None

    def start(self):
        """Where the run's budget starts counting: BOOT's tsc= (what the firmware and the
        boot loader ran), 0 if the first record has none (so counting from the reset), or
        None before any record."""
        if not self.good:
            return None
        if self.good[0].kind != "BOOT":
            return 0
        tsc = fields(self.good[0].text).get("tsc", "")
        return int(tsc) if tsc.isdigit() else 0

    def tsc(self):
        """The largest tsc= the kernel reported (END or TIMEOUT), or None."""
        counts = [fields(t).get("tsc", "") for t in self.texts("END") + self.texts("TIMEOUT")]
        counts = [int(c) for c in counts if c.isdigit()]
        return max(counts) if counts else None

    def program(self, name):
        """How the program test name ended: ("fail", reason) if it ever failed, else
        ("pass", "") if it passed, else (None, "")."""
        for kind in ("FAIL", "PASS"):
            for text in self.texts(kind):
                words = text.split(None, 1)
                if words and words[0] == name:
                    return kind.lower(), words[1] if len(words) > 1 else ""
        return None, ""

    def began(self, name):
        return any(t.split(None, 1)[:1] == [name] for t in self.texts("BEGIN"))

    def stalls(self):
        """Every IDLE and DEADLOCK record, with its BLOCKED records, in order."""
        out = []
        for r in self.good:
            if r.kind in ("IDLE", "DEADLOCK"):
                out.append(Stall(r.kind, r.text))
            elif r.kind == "BLOCKED" and out:
                out[-1].blocked.append(r.text)
        return out

    def deadlock(self):
        """What the kernel's DEADLOCK record says, "every thread is blocked: ...", or None."""
        found = [s for s in self.stalls() if s.kind == "DEADLOCK"]
        return found[-1].describe() if found else None

    def idle_deadlock(self, typed):
        """ "every thread is blocked: ..." if the last IDLE record came once the guest had
        received all typed characters (the caller will type no more), else None.  Nothing
        but input wakes an idle machine, so that IDLE lasts for good."""
        idle = [s for s in self.stalls() if s.kind == "IDLE"]
        if idle and idle[-1].complete() and idle[-1].fields.get("input") == str(typed):
            return idle[-1].describe()
        return None


class IdleWatch:
    """Port 0xE9 output as it grows (feed the new text): keeps only the last IDLE record
    and the BLOCKED records right after it, so a watchdog can ask idle_deadlock often."""

    def __init__(self, nonce):
        self.nonce, self.partial, self.lines = nonce, "", []

    def feed(self, text):
        done = (self.partial + text).split("\n")
        self.partial = done.pop()[:LINE_KEEP]   # a longer line is no record to wait for
        for line in done:
            good = Records(line, self.nonce).good
            kind = good[0].kind if good else None
            if kind == "IDLE":
                self.lines = [line]
            elif kind == "BLOCKED" and self.lines:
                self.lines.append(line)
            elif kind:
                self.lines = []         # a thread ran since: that IDLE is over

    def idle_deadlock(self, typed):
        return Records("\n".join(self.lines), self.nonce).idle_deadlock(typed)
