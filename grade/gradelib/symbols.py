"""Kernel symbols (from nm) and symbolized addresses for failure reports (nm and addr2line,
from binutils)."""
import bisect
import os
import re
import subprocess
import threading

from .errors import Failure

_tables = {}
_lock = threading.Lock()


class Symbols:
    def __init__(self, kernel):
        self.kernel = kernel
        self.address = {}       # name -> address
        self.code = []          # (address, end, name) of functions, sorted
        try:
            out = subprocess.run(["nm", "-n", "-S", "--defined-only", kernel],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        except FileNotFoundError:
            raise Failure("nm (binutils) is not installed; run 'make doctor'")
        rows = [line.split() for line in out.decode("utf-8", "replace").splitlines()]
        for row in rows:
            if len(row) not in (3, 4):
                continue
            address, name, kind = int(row[0], 16), row[-1], row[-2]
            self.address.setdefault(name, address)
            if kind in "tT":
                size = int(row[1], 16) if len(row) == 4 else 0
                self.code.append((address, address + size, name))
        # A function without a size runs up to the next one.
        for i, (start, end, name) in enumerate(self.code):
            if end == start and i + 1 < len(self.code):
                self.code[i] = (start, self.code[i + 1][0], name)
        self.starts = [c[0] for c in self.code]

    def function(self, address):
        """'name+0xoff' for an address inside a function, else None."""
        i = bisect.bisect_right(self.starts, address) - 1
        if i < 0 or address >= self.code[i][1]:
            return None
        return "%s+%#x" % (self.code[i][2], address - self.code[i][0])

    def lines(self, addresses):
        """{address: 'file:line'} for the addresses the DWARF line table knows."""
        if not addresses:
            return {}
        try:
            out = subprocess.run(["addr2line", "-e", self.kernel] + ["%x" % a for a in addresses],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        except FileNotFoundError:
            return {}
        here = os.getcwd() + os.sep
        found = [f[len(here):] if f.startswith(here) else f
                 for f in out.decode("utf-8", "replace").splitlines()]
        return {a: f for a, f in zip(addresses, found) if not f.endswith(":?") and "??" not in f}

    def annotate(self, text):
        """The text with every hex address inside a function followed by <function+off at
        file:line>."""
        matches = list(re.finditer(r"\b0x([0-9a-fA-F]{5,8})\b", text))
        known = sorted({int(m.group(1), 16) for m in matches
                        if self.function(int(m.group(1), 16))})
        where = self.lines(known)
        out, last = [], 0
        for m in matches:
            address = int(m.group(1), 16)
            if address not in known:
                continue
            note = self.function(address)
            if address in where:
                note += " at " + where[address]
            out += [text[last:m.end()], " <%s>" % note]
            last = m.end()
        return "".join(out) + text[last:]


def symbols(kernel):
    """The (cached) symbol table of the kernel ELF file."""
    with _lock:
        if kernel not in _tables:
            _tables[kernel] = Symbols(kernel)
        return _tables[kernel]


def address(kernel, name):
    where = symbols(kernel).address.get(name)
    if where is None:
        raise Failure("%s has no symbol %s" % (kernel, name))
    return where
