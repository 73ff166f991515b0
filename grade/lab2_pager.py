"""Lab 2: the demand pager (handouts/lab2.md).

monitors/pager serves its child MemPool from memory it backs lazily: a zero page on the
first touch, a budget of resident frames (pager:frames=N) kept by a clock, swap to the disk
its parent serves it (pager:swap=N sectors kept, the rest passed on to its child renumbered
from 0), and MemPool COPY, copy-on-write.  Every first touch and every touch of an evicted
page is a keeper request to the pager; the programs are the same binaries as ever.  Each
pager writes METRIC pager faults=N zero=N cow=N evict=N swapin=N swapout=N refused=N as it
ends.  The tests that swap need the swap disk (the root's driver, monitors/root/disk.c).
"""
from gradelib import Boot, Console, End, NoConsole, Passed, Record
from gradelib import test

LAB = 2
TITLE = "The demand pager"

BUDGET = 800000000
EOL = r"\r?$"
SILENT = NoConsole(r"^(root|nest|pager): ")   # no monitor had anything to say


def counted(**at_least):
    """The pager's METRIC with each named count at least the given number (1: nonzero);
    a count given as 0 must be exactly 0."""
    def field(name, n):
        if n == 0:
            return r"\b%s=0\b" % name
        return r"\b%s=(%s)\b" % (name, "|".join(
            [r"[1-9]\d{%d,}" % len(str(n))] +
            [r"%d" % v for v in range(n, 10 ** len(str(n)))]))
    return Record("METRIC", "^pager " + "".join(
        r"(?=.*%s)" % field(k, v) for k, v in sorted(at_least.items())))


def pager(frames, swap=None):
    mode = "frames=%d" % frames + ("" if swap is None else "+swap=%d" % swap)
    return "pager:" + mode


MEMTEST = [Console(r"^memtest: 64 pages, 0 bad words" + EOL)]
RANDOM = [Passed("pager-random"),
          Console(r"^pagecheck: random walk of 512 steps over 128 pages \(seed 5\), "
                  r"0 bad words" + EOL)]

# Without the disk: zero-fill, dropping clean zero pages, copy-on-write.
test("pager-zero-fill", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(128)], program="memtest", args=["64"]),
     doc="memtest 64 under a pager with room for all of it: each page is a zero page on its "
         "first touch, nothing is evicted.",
     expect=MEMTEST + [SILENT, counted(zero=64, evict=0, swapout=0), End(0)])

test("pager-zero-evict", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16, 0)], program="pagecheck", args=["zeros", "64"]),
     doc="64 pages never written, read twice over 16 frames and no swap: the clock drops "
         "clean zero pages (no swap traffic) and they read as zeros again.",
     expect=[Passed("pager-zeros"), SILENT, counted(evict=48, zero=128, swapout=0), End(0)])

test("pager-cow", points=10, budget=BUDGET,
     boot=Boot(monitors=["root", pager(128)], program="pagecheck", args=["cow"]),
     doc="MemPool COPY of 64 written pages: both sides write 8 pages of their own and each "
         "sees its own data; the pool backs exactly 16 more pages, so the 48 untouched pages "
         "stay shared; a COPY sent again gets the same region; a page holding a kernel "
         "object is not shared (the original writes it and keeps its reference).",
     expect=[Passed("pager-cow"), Passed("pager-cow-resend"), Passed("pager-cow-objects"),
             Console(r"^pagecheck: cow of 64 pages, each side wrote 8: 0 bad words, 16 pages "
                     r"copied, 48 shared" + EOL),
             SILENT, counted(cow=16), End(0)])

test("pager-nocow-root", points=0, budget=BUDGET,
     boot=Boot(monitors=["root", "nest"], program="pagecheck", args=["nocow"]),
     doc="A MemPool server without COPY (the root) answers FLUKE_INVALID_ARGUMENT, so the "
         "asker can fall back to an eager copy.",
     expect=[Passed("pager-nocow"), End(0)])

test("pager-exhaust-no-swap", points=10, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16, 0)], program="pagecheck", args=["exhaust"]),
     doc="No swap: a GET of more than 16 pages is refused (NO_MEMORY); a child that writes "
         "more than 16 pages is ended by the pager with a fault report while the parent is "
         "served on; the child's frames come back, and a region given back with PUT.",
     expect=[Passed("pager-exhaust"),
             Console(r"^pager: pagecheck: Page Fault \(code 0x6\) at eip 0x[0-9a-f]+, "
                     r"address 0x64000000; ending it" + EOL),
             Console(r"^pagecheck: hog ended with status 255; 16 of 16 pages free again" + EOL),
             NoConsole(r"^root: \S+ exited"), counted(refused=1), End(0)])

test("pager-exhaust-under-nest", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(128, 0), "nest"], program="pagecheck", args=["hog"]),
     doc="128 frames, no swap, nest between the pager and a child that writes more than they "
         "hold: the first write the pager cannot back is refused, and nest, whose own memory "
         "is the pager's too, ends its child for it and says so. (A clock that gave frames "
         "which cannot go a second chance would take every mapping away at each refusal, "
         "nest's too, and the fault would be retried for ever.)",
     expect=[Console(r"^pagecheck: hog has two regions of \d+ pages" + EOL),
             Console(r"^nest: pagecheck: Page Fault \(code 0x6\) at eip 0x[0-9a-f]+, "
                     r"address 0x64000000; ending it" + EOL),
             Console(r"^root: pager exited with status 255" + EOL),
             Record("METRIC", r"^nest-children .*\bfaulted=1\b"),
             counted(refused=1), End(3)])

test("pager-exhaust-no-disk", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16)], program="pagecheck", args=["exhaust"], swap=False),
     doc="The disk missing (the root's Block answers FLUKE_NOT_FOUND): no swap, and the same "
         "as with swap=0.",
     expect=[Passed("pager-exhaust"),
             Console(r"^pagecheck: hog ended with status 255; 16 of 16 pages free again" + EOL),
             NoConsole(r"^root: \S+ exited"), End(0)])

test("pager-swap-too-big", points=0, budget=BUDGET,
     boot=Boot(monitors=["root", "pager:swap=100000000"], program="hello"),
     doc="A swap area larger than the disk is refused, naming both sizes.",
     expect=[Console(r"^pager: swap=100000000 sectors, but the disk has only \d+" + EOL),
             End(3)])

test("pager-bad-option", points=0, budget=BUDGET,
     boot=Boot(monitors=["root", "pager:frames=0"], program="hello"),
     doc="A bad option names itself and the options there are.",
     expect=[Console(r"^pager: bad option 'frames=0' in mode=frames=0; the options are "
                     r"frames=N \(pages, 1 to 65536\) and swap=N"), End(3)])

# With the disk: swap.
test("pager-memtest-swap", points=10, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16)], program="memtest", args=["64"]),
     doc="memtest over 4 times the frame budget: every word checked, pages go out to swap "
         "and come back.",
     expect=MEMTEST + [SILENT, counted(swapout=1, swapin=1, evict=48), End(0)])

test("pager-random-swap", points=10, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16)], program="pagecheck", args=["random", "128", "5"]),
     doc="A seeded random walk over 8 times the frame budget: every page it rewrites and "
         "every page at the end holds the pattern last written.",
     expect=RANDOM + [SILENT, counted(swapout=1, swapin=1), End(0)])

test("pager-cow-swap", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16)], program="pagecheck", args=["cow"]),
     doc="Copy-on-write over 16 frames: shared pages are evicted and come back shared.",
     expect=[Passed("pager-cow"), Passed("pager-cow-resend"), Passed("pager-cow-objects"),
             SILENT, counted(cow=16, swapin=1), End(0)])

test("pager-exhaust-swap-full", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", pager(16, 128)], program="pagecheck", args=["exhaust"]),
     doc="16 frames and 16 slots of swap: the same as without swap, at 32 pages.",
     expect=[Passed("pager-exhaust"),
             Console(r"^pagecheck: hog ended with status 255; 32 of 32 pages free again" + EOL),
             NoConsole(r"^root: \S+ exited"), End(0)])

# Stacks: the same output at every combination, each pager with its own budget and its
# own slice of the disk.
STACKS = [("nest-pager", ["nest", pager(16)]),
          ("pager-nest", [pager(16), "nest"]),
          ("pager-pager", [pager(64), pager(16)]),
          ("trace-pager", ["trace:console+parent", pager(16)])]
# Under the tracer the program's line is the same, and the tracer logs the pager's Console
# WRITE of it (through the client the pager made for its child: the pager's name).
TRACED = {"trace-pager": [Console(r"^trace: pager Console\.write\(len=\d+\) -> ok" + EOL),
                          Console(r"^trace: pager exited with status 0" + EOL)]}
for label, stack in STACKS:
    test("pager-stack-%s-memtest" % label, points=5, budget=BUDGET,
         boot=Boot(monitors=["root"] + stack, program="memtest", args=["64"]),
         doc="memtest 64 under %s." % ",".join(stack),
         expect=MEMTEST + TRACED.get(label, []) + [SILENT, Record("METRIC", r"^pager ",
             count=stack.count(pager(16)) + stack.count(pager(64))), counted(swapout=1),
             End(0)])
    test("pager-stack-%s-random" % label, points=5, budget=BUDGET,
         boot=Boot(monitors=["root"] + stack, program="pagecheck",
                   args=["random", "128", "5"]),
         doc="pagecheck random 128 5 under %s." % ",".join(stack),
         expect=RANDOM + TRACED.get(label, []) + [SILENT, counted(swapout=1), End(0)])

# The Block slice: each pager keeps its swap= sectors and serves its child the rest from 0.
SWAP_SECTORS = 64512    # the swap disk (tools/emulator.py SWAP_BYTES / 512)
test("pager-block-slice", points=5, budget=BUDGET,
     boot=Boot(monitors=["root", "pager:swap=1024", "pager:swap=2048"], program="blockcheck"),
     doc="Under two pagers keeping 1,024 and 2,048 sectors, blockcheck sees a disk of the "
         "rest, from sector 0: sizes, patterns read back, every range error refused.",
     expect=[Passed("blockcheck-size"), Passed("blockcheck-rw"), Passed("blockcheck-range"),
             Passed("blockcheck-malformed"),
             Console(r"^blockcheck: %d sectors, all checks passed" % (SWAP_SECTORS - 3072) + EOL),
             SILENT, End(0)])
