#!/usr/bin/env python3
"""The lab markers of the master tree, and `make nyi` (labs/README.md section 1).

One syntax for every language: a marker is a line holding only a comment whose text is

    LAB n: BEGIN SOLUTION    the solution of lab n starts
    LAB n: SKELETON          what replaces it in a student tree (optional)
    LAB n: BEGIN GIVEN       code that exists from lab n on, in every tree
    LAB n: END               the block ends
    STAFF: BEGIN             staff-only material, in no exported tree
    STAFF: END

written in the file's own comment syntax: /* ... */ or // (C, assembly, linker scripts),
# (Python, make, shell), <!-- ... --> (Markdown).  The skeleton's lines are comments in
the master tree, so that it always builds as the full solution: each starts, after its
indentation, with the line-comment opener and a bar (//| in C and assembly, #| in Python
and make, <!--| ... --> in Markdown); the export takes the bar and the opener away.

Run as `markers.py nyi [FILE ...]`: in the master tree it lists each solution block
(file:line, lab, size); in a student tree, each `LAB n: your code here` line left.
Python 3.9+ standard library only.
"""
import os
import re
import subprocess
import sys

MARKER = re.compile(r"^\s*(?:/\*|//|#|<!--|;)\s*(?:LAB (\d+): (BEGIN SOLUTION|BEGIN GIVEN|"
                    r"SKELETON|END)|STAFF: (BEGIN|END))\s*(?:\*/|-->)?\s*$")
SKELETON_LINE = re.compile(r"^(\s*)(?://|#|<!--|;)\|(?: ?)(.*?)(?:\s*-->)?(\r?\n?)$")
TODO = re.compile(r"^\s*(?:/\*|//|#|<!--)\s*LAB (\d+): your code here")
# A line that mentions a marker without being one (a typo: "LAB1:", "BEGIN SOLUTIONS").
NEAR_MISS = re.compile(r"^\s*(?:/\*|//|#|<!--|;)\s*(?:LAB ?\d+:? ?(?:BEGIN|SKELETON|END)|"
                       r"STAFF:? ?(?:BEGIN|END))")


class MarkerError(Exception):
    """A marker the generator can not use; str() names the file and line and the fix."""

    def __init__(self, path, line, problem, fix):
        super().__init__("%s:%d: %s\n    fix: %s" % (path, line, problem, fix))


class Block:
    """One marked block: kind is "solution", "given" or "staff"; lines are 1-based."""

    def __init__(self, kind, lab, begin):
        self.kind, self.lab, self.begin = kind, lab, begin
        self.solution, self.skeleton = [], []     # the text lines of each part
        self.skeleton_at = None                  # line of the SKELETON marker
        self.end = None

    def describe(self):
        if self.kind == "staff":
            return "staff only (%d lines)" % len(self.solution)
        if self.kind == "given":
            return "LAB %d: given from lab %d on (%d lines)" % (self.lab, self.lab,
                                                               len(self.solution))
        return "LAB %d: solution (%d lines), skeleton %d lines" % (
            self.lab, len(self.solution), len(self.skeleton))


def parse(text, path="<text>"):
    """Split text into pieces: plain lines (str) and Blocks, in order.  Raises MarkerError
    for a marker out of place (nested, unclosed, END with no BEGIN, SKELETON outside a
    solution) or a skeleton line that is not commented."""
    pieces, block = [], None
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        m = MARKER.match(line)
        if not m:
            if NEAR_MISS.match(line):
                raise MarkerError(path, number, "this looks like a marker but is not one: "
                                  + line.strip(), "write exactly `LAB n: BEGIN SOLUTION`, "
                                  "`LAB n: SKELETON`, `LAB n: BEGIN GIVEN`, `LAB n: END`, "
                                  "`STAFF: BEGIN` or `STAFF: END` (labs/README.md)")
            if block is None:
                pieces.append(line)
            elif block.skeleton_at is not None:
                if line.strip() and not SKELETON_LINE.match(line):
                    raise MarkerError(
                        path, number, "a skeleton line that the master tree would compile: "
                        + line.strip(), "comment it with the bar form: //| in C and "
                        "assembly, #| in Python and make, <!--| ... --> in Markdown")
                block.skeleton.append(line)
            else:
                block.solution.append(line)
            continue
        lab = int(m.group(1)) if m.group(1) else None
        word = m.group(2) or "STAFF " + m.group(3)
        if word in ("BEGIN SOLUTION", "BEGIN GIVEN", "STAFF BEGIN"):
            if block is not None:
                raise MarkerError(path, number, "a block begins inside the block of line %d"
                                  % block.begin, "close that block first (blocks do not nest)")
            if lab == 0:
                raise MarkerError(path, number, "there is no lab 0 to mark",
                                  "number the lab the code belongs to, from 1")
            kind = {"BEGIN SOLUTION": "solution", "BEGIN GIVEN": "given"}.get(word, "staff")
            block = Block(kind, lab, number)
        elif word == "SKELETON":
            if block is None or block.kind != "solution":
                raise MarkerError(path, number, "SKELETON outside a solution block",
                                  "put it between `LAB %s: BEGIN SOLUTION` and `LAB %s: END`"
                                  % (lab, lab))
            if lab != block.lab or block.skeleton_at is not None:
                raise MarkerError(path, number, "SKELETON of lab %d in the lab %d block of "
                                  "line %d" % (lab, block.lab, block.begin) if lab != block.lab
                                  else "a second SKELETON in one block",
                                  "one `LAB %d: SKELETON` per block" % block.lab)
            block.skeleton_at = number
        else:
            if block is None:
                raise MarkerError(path, number, "an END with no block open",
                                  "remove it, or add the BEGIN it closes")
            if (word == "STAFF END") != (block.kind == "staff") or \
                    (lab is not None and lab != block.lab):
                raise MarkerError(path, number, "this END does not close the block of line "
                                  "%d" % block.begin, "close it with `%s`" % (
                                      "STAFF: END" if block.kind == "staff"
                                      else "LAB %d: END" % block.lab))
            block.end = number
            pieces.append(block)
            block = None
    if block is not None:
        raise MarkerError(path, block.begin, "this block is never closed",
                          "add `%s` where it ends" % ("STAFF: END" if block.kind == "staff"
                                                     else "LAB %d: END" % block.lab))
    return pieces


def _uncomment(line):
    m = SKELETON_LINE.match(line)
    if not m:
        return line
    return m.group(1) + m.group(2) + (m.group(3) or "") if m.group(2) else m.group(3) or "\n"


def render(pieces, lab, solved=0):
    """The text of a tree of lab `lab` in which the labs up to `solved` are solved: blocks
    of later labs than `lab` are gone, solution blocks of labs up to `solved` stay the
    solution and those of the labs after it become their skeleton, given blocks stay and
    staff blocks go.  solved=0 is the student tree, `lab` the solution tree, `lab` - 1 the
    tree of a student who solved every earlier lab."""
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
        elif p.kind == "staff" or p.lab > lab:
            continue
        elif p.kind == "given" or p.lab <= solved:
            out.extend(p.solution)
        else:
            out.extend(_uncomment(s) for s in p.skeleton)
    return "".join(out)


def blocks(pieces):
    return [p for p in pieces if not isinstance(p, str)]


def tracked_files(root):
    """The files git tracks under root, and new ones it does not ignore (never obj/); in a
    tree that is no git work tree (an exported one), every file but obj/ and .git/."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        found = []
        for top, dirs, files in os.walk(root):
            rel = os.path.relpath(top, root)
            dirs[:] = sorted(d for d in dirs if not (rel == "." and d in ("obj", ".git")))
            found += [os.path.normpath(os.path.join(rel, f)) for f in files]
        return sorted(found)
    return sorted({p for p in out.decode().split("\0")
                   if p and os.path.isfile(os.path.join(root, p))})


def read_text(path):
    """The file's text, or None if it is not text (a binary is copied as it is)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def nyi(root, files):
    """The lines of `make nyi`: each open marker, as file:line: what."""
    out = []
    for rel in files:
        text = read_text(os.path.join(root, rel))
        if text is None or rel.startswith("labs/"):     # the machinery, not the course
            continue
        pieces = parse(text, rel)
        for b in blocks(pieces):
            if b.kind == "solution":
                out.append("%s:%d: %s" % (rel, b.begin, b.describe()))
        line = 0
        for p in pieces:
            if isinstance(p, str):
                line += 1
                m = TODO.search(p)
                if m:
                    out.append("%s:%d: LAB %s: your code here" % (rel, line, m.group(1)))
            else:
                line = p.end
    return out


def of_lab(lines, lab):
    """The lines of `nyi` that are lab `lab`'s, and the count of the others."""
    mine = [s for s in lines if (": LAB %d:" % lab) in s]
    return mine, len(lines) - len(mine)


def main(argv):
    if not argv or argv[0] != "nyi":
        print("usage: markers.py nyi [--lab N] [FILE ...]", file=sys.stderr)
        return 2
    argv = argv[1:]
    lab = None
    if argv[:1] == ["--lab"] and len(argv) > 1 and argv[1].isdigit():
        lab, argv = int(argv[1]), argv[2:]
    root = os.getcwd()
    try:
        lines = nyi(root, argv or tracked_files(root))
    except MarkerError as e:
        print("markers.py: " + str(e), file=sys.stderr)
        return 1
    others = 0
    if lab is not None:
        lines, others = of_lab(lines, lab)
    for s in lines:
        print(s)
    print("%d open marker%s" % (len(lines), "" if len(lines) == 1 else "s")
          + ("" if lab is None else " of lab %d" % lab))
    if others:
        print("%d more of other labs (make nyi ALL=1 lists them too)" % others)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
