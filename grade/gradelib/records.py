"""Test records from I/O port 0xE9 (handouts/boot.md, section 4).

A record is one line, "FLUKE <nonce> <KIND> <text>".  Only records that carry this run's
nonce count; any other line that mentions FLUKE is kept as stray, to be reported and never
trusted, so stray output can not fake a result.

The line rule, the kernel's too (kern/debug/record.c): lines end at "\n" and nowhere else,
and a line counts only if it is printable ASCII (0x20-0x7e) throughout, so no carriage
return, form feed, U+2028 or other character that str.splitlines() would split at can
make one line read as two.  (A "\r" just before the "\n" is dropped: Bochs ends its
own lines with "\r\n".)
"""
import collections
import re

KINDS = ("BOOT", "BEGIN", "PASS", "FAIL", "METRIC", "INFO", "PANIC", "TIMEOUT", "END")

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
