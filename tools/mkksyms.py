#!/usr/bin/env python3
"""Turn `nm -n` output of the kernel into the assembly of its symbol table.

    nm -n obj/kern/kernel.1 | mkksyms.py > obj/kern/ksyms.S

Only text symbols are kept, sorted by address, with a last entry marking the end of
.text (the symbol etext). The layout is what kern/debug/ksyms.c reads.
"""
import sys


def main():
    syms, etext = [], None
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == "etext":
            etext = addr
        elif kind in "tTwW" and not name.startswith("."):
            syms.append((addr, name))
    syms.sort()
    if etext is not None:
        syms.append((etext, "(end of text)"))
    out = ['.section .ksyms, "a"', ".p2align 2",
           ".globl ksyms_count", "ksyms_count:", "\t.long %d" % len(syms),
           ".globl ksyms_addr", "ksyms_addr:"]
    out += ["\t.long 0x%08x" % a for a, _ in syms]
    out += [".globl ksyms_name", "ksyms_name:"]
    offset = 0
    for _, name in syms:
        out.append("\t.long %d" % offset)
        offset += len(name) + 1
    out += [".globl ksyms_strings", "ksyms_strings:"]
    out += ['\t.asciz "%s"' % name for _, name in syms]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
