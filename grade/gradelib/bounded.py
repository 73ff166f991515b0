"""Bounds on what a guest prints, wherever the grader keeps or shows it.

A guest may print anything: one line of 15 MB, escape sequences, NUL and BEL.  Two steps
keep the grader and its reports small and plain:
  read_text()   what the grader keeps of an output file (the Run's console and records,
                console.txt): each line of at most LINE_KEEP characters, longer ones cut in
                the middle with a note saying how much; in all at most TOTAL_KEEP
                characters, the first and last halves, with a note of the lines cut between.
                It reads in chunks and never holds more than that, however long a line is.
  shown()       one line as a report shows it (terminal, -v, results.json, JUnit): every
                character but printable ASCII escaped (\\x1b, \\u2028; a tab becomes
                spaces), cut to LINE_SHOW characters.
"""
import codecs
import collections

LINE_KEEP = 4096            # characters kept of one line
TOTAL_KEEP = 512 * 1024     # characters kept of one file
LINE_SHOW = 300             # characters of one line a report shows
CHUNK = 64 * 1024


def cut_note(n):
    return "[... %d characters cut ...]" % n


class _Line:
    """One line as it arrives: its first and last LINE_KEEP / 2 characters, and its length."""

    def __init__(self):
        self.head, self.tail, self.length = "", "", 0

    def add(self, text):
        half = LINE_KEEP // 2
        self.length += len(text)
        if len(self.head) < half:
            take = half - len(self.head)
            self.head, text = self.head + text[:take], text[take:]
        if text:
            self.tail = (self.tail + text)[-half:]

    def text(self):
        cut = self.length - len(self.head) - len(self.tail)
        return self.head + (cut_note(cut) if cut else "") + self.tail


class _Lines:
    """Whole lines (with their newlines): the first that fit in TOTAL_KEEP / 2 characters,
    and the last that fit in the other half, with the number cut between."""

    def __init__(self):
        self.head, self.head_size = [], 0
        self.tail, self.tail_size = collections.deque(), 0
        self.cut = 0

    def add(self, line):
        half = TOTAL_KEEP // 2
        if not self.tail and self.head_size + len(line) <= half:
            self.head.append(line)
            self.head_size += len(line)
            return
        self.tail.append(line)
        self.tail_size += len(line)
        while self.tail_size > half:
            self.tail_size -= len(self.tail.popleft())
            self.cut += 1

    def text(self):
        note = ["[... %d lines cut ...]\n" % self.cut] if self.cut else []
        return "".join(self.head + note + list(self.tail))


def read_text(path):
    """The text of the file at path (UTF-8, bad bytes replaced) within the bounds above;
    "" if it can not be read."""
    lines, current = _Lines(), _Line()
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(CHUNK)
                text = decoder.decode(chunk, final=not chunk)
                pieces = text.split("\n")
                for piece in pieces[:-1]:
                    current.add(piece + "\n")
                    lines.add(current.text())
                    current = _Line()
                current.add(pieces[-1])
                if not chunk:
                    break
    except OSError:
        return ""
    if current.length:
        lines.add(current.text())
    return lines.text()


def shown(line, width=LINE_SHOW):
    """line (without its newline) as a report shows it: plain ASCII, at most width
    characters and a note of how many more there were."""
    line = line.expandtabs(8)
    if len(line) > width:
        line = line[:width] + " " + cut_note(len(line) - width)
    escaped = line.encode("ascii", "backslashreplace").decode("ascii")
    return "".join(c if " " <= c <= "~" else "\\x%02x" % ord(c) for c in escaped)
