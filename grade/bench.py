#!/usr/bin/env python3
"""Benchmarks: what nesting costs (make bench).  Python 3.9+ standard library only.

The OSDI'96 Fluke paper measured applications under stacks of nested monitors.  This runs
the same experiment on our system: each workload runs bare (the root monitor starts it),
then under 1, 2 and 4 pass-through monitors (monitors/nest), forwarding every request or
handing the parent's references straight through (nest:direct).  Two figures per run: the
program's own, from its first instruction to its exit (libc's METRIC prog-run record),
which is what a user of the program waits for, and the whole stack's, from the root
loading the outermost monitor to the program's exit (the root's METRIC stack-run), which
adds each level's start-up (loading the next level's program).  Both count the monitors'
work for the program.  Under QEMU's -icount one count is one guest instruction
(idle time would count too; these workloads never wait), so the numbers are the same on
any host and every run is repeatable.  Host seconds are printed as well, for scale only.
Microbenchmarks come from the kernel tests' own METRIC records. Then two of them are
broken down by kernel part: one null reliable RPC (ipccheck's bench_null_rpc, from the
client's int $0x40 to its return, the server's run in between included) and one page
fault a user-level pager serves (keepcheck, from the fault to the retried instruction),
each single-stepped through QEMU's gdb stub (timer interrupts masked while it steps) and
every instruction counted against the source file of its function.  The pager's figures
(monitors/pager): the Appel-Li virtual-memory primitives (user/test/appel) under nest and
under a pager at depth 1 and 2, and memtest with and without eviction against the same
program under nest (the runs that evict need the swap disk).  The process manager's
(monitors/pm, stack=pm): spawn+wait of true, fork+exit+wait and a one-byte pipe round trip
between two processes (user/test/pmbench, among the microbenchmarks), and 10,000 spawn+wait
of true in a row (leakcheck 10000, some 11G instructions: the graded pm-leak runs fewer),
with the kernel's free pages, live objects and small-object allocator's pages after the
first and the last.  The checkpointer's figures (monitors/ckpt): ckptwork checkpointed at
its request with a small and a large heap, each restored in a second boot on the same disk:
the cost of saving (finding, stopping, reading the objects, copying the memory), of writing
the image, of reading and checking it and of rebuilding, split per MiB of child memory and
per object from the two sizes; and the incremental checkpoint of the large one after it
writes 8 and 72 pages (its cost should follow those pages, not the 4 MiB).

    bench.py [-j N] [--json FILE] [--quick | --micro | --pager | --pm | --ckpt] [--no-breakdown]

Benchmarks print numbers; they never fail on a slow machine.  The exit status is nonzero
only when a run did not produce its figure (a broken build, a crash).
"""
import argparse
import concurrent.futures
import json
import os
import secrets
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import grade  # noqa: E402
import collections  # noqa: E402
from gradelib import Boot  # noqa: E402
from gradelib.symbols import Symbols  # noqa: E402
from gradelib.machine import END  # noqa: E402
from gradelib.qemu import QemuMachine  # noqa: E402
from gradelib.records import fields  # noqa: E402

BUDGET = 4 * 10 ** 9

# name, program and arguments, what it stresses.
WORKLOADS = [
    ("hello", ["hello"], "start-up and exit: protocol requests only"),
    ("memtest", ["memtest", "1024"], "memory: 1,024 pages from MemPool, written and checked"),
    ("spin", ["spin"], "CPU: no requests at all while it computes"),
    ("rpcload", ["rpcload"], "IPC: 50 listings of the file system, a FileSystem LIST an entry"),
]
DEPTHS = (0, 1, 2, 4)
MODES = (("forward", "nest"), ("direct", "nest:direct"))

# Microbenchmarks: a test program, its monitors (none: it is the first task) and the METRIC
# keys it reports.
MICRO = [
    ("ipccheck", [], [], [("syscall_null_tsc", "cheapest system call (thread_set_handlers, "
                                               "changing nothing)"),
                          ("ipc_null_rpc_tsc", "null reliable RPC (connect, send, over, "
                                               "receive, disconnect)"),
                          ("ipc_null_call_tsc", "null idempotent call and reply")]),
    ("keepcheck", [], [], [("keeper_fault_tsc", "page fault served by a user-level pager "
                                                "(fault, request, map, reply, retry), the page "
                                                "already zeroed"),
                           ("keeper_zero_page_tsc", "the pager zeroing a page for its cache")]),
    ("blockcheck", ["bench"], ["root"],
     [("block_read_tsc", "one-sector Block READ from the root's swap disk (ATA PIO)"),
      ("block_write_tsc", "one-sector Block WRITE to it")]),
    ("pmbench", [], ["root", "pm"],
     [("pm_spawn_wait_tsc", "spawn of true and waitpid for it, under pm"),
      ("pm_fork_wait_tsc", "fork, the child's _exit and waitpid, under pm"),
      ("pm_pipe_rtt_tsc", "one-byte round trip over two pipes between two processes, "
                          "under pm")]),
]

# The leak run: spawn+wait of true LEAK_RUNS times under pm (leakcheck), with its budget.
LEAK_RUNS = 10000
LEAK_BUDGET = 30 * 10 ** 9
LEAK_KEYS = ("free", "objects", "kmem")

# The pager: (row, label, stack, program and arguments).
APPEL = ["prot1", "protn", "unprot", "trap", "appel1", "appel2"]
PAGER_RUNS = [("appel", "nest", ["nest"], ["appel"]),
              ("appel", "pager-d1", ["pager"], ["appel"]),
              ("appel", "pager-d2", ["pager:frames=512", "pager"], ["appel"]),
              ("memtest", "nest", ["nest"], ["memtest", "256"]),
              ("memtest", "pager-d1", ["pager:frames=512"], ["memtest", "256"]),
              ("memtest", "pager-d1-evict", ["pager:frames=64"], ["memtest", "256"]),
              ("memtest", "nest-d2", ["nest", "nest"], ["memtest", "256"]),
              ("memtest", "pager-d2", ["pager:frames=1024", "pager:frames=512"],
               ["memtest", "256"]),
              ("memtest", "pager-d2-evict", ["pager:frames=512", "pager:frames=64"],
               ["memtest", "256"])]


# The checkpointer: (label, KiB of heap ckptwork adds to its image, pages of it written
# between a full checkpoint and an incremental one: 0 for a full checkpoint alone).
CKPT_RUNS = [("small", 0, 0), ("large", 4096, 0), ("touch8", 4096, 8), ("touch72", 4096, 72)]
CRIU_US_PER_MIB = 55000.0 / 1024    # CRIU: 1 GiB dumped in about 55 ms (monitor-facts.md)


def ckpt_boot(config, label, kib, touch, workdir):
    """Checkpoint ckptwork (KiB more heap) at its request and stop; restore it in a second
    boot on the same disk.  With touch, it writes touch pages after that first (full)
    checkpoint and asks for a second (incremental) one, whose save record is the one kept.
    Returns ({record: its fields} for the save and the restore records, host seconds)."""
    disk = os.path.join(workdir, "ckpt-disk.img")
    os.makedirs(workdir, exist_ok=True)
    if os.path.exists(disk):
        os.remove(disk)
    got, seconds = {}, 0.0
    first = ("ckpt:stop=2", ["10", "4", str(kib), str(touch)]) if touch else \
        ("ckpt:stop=1", ["10", "4", str(kib)])
    for mode, args, key in (first + ("ckpt-save",),
                            ("ckpt:restore", ["10"], "ckpt-restore")):
        records, secs = boot(config, Boot(monitors=["root", mode], program="ckptwork",
                                          args=args, swap=disk),
                             os.path.join(workdir, mode.split(":")[1]))
        seconds += secs
        for text in records.texts("METRIC"):    # the last one: the incremental one
            if text.startswith(key + " "):
                got[key] = {k: int(v) for k, v in fields(text).items() if v.isdigit()}
        if key not in got:
            raise RuntimeError("%s %s: no METRIC %s record" % (label, mode, key))
    return got, seconds


def ckpt_lines(ckpt):
    """The checkpointer's table: each phase per MiB and per object, from the two runs (the
    difference between them is memory; what is left of the small one is per object)."""
    small, large = ckpt["small"], ckpt["large"]
    mib = (large["ckpt-save"]["bytes"] - small["ckpt-save"]["bytes"]) / float(1 << 20)
    objects = small["ckpt-save"]["objects"]
    lines = ["Checkpoint and restore (monitors/ckpt, ckptwork at its request; guest "
             "instructions):",
             "  %-32s %12s %12s %14s %14s" % ("phase", "small", "large", "per MiB",
                                              "per object")]
    total = {"small": 0, "large": 0}
    for key, field, what in (("ckpt-save", "save", "save (stop, find, read, copy)"),
                             ("ckpt-save", "write", "write the image (Block, ATA PIO)"),
                             ("ckpt-restore", "read", "read and check the image"),
                             ("ckpt-restore", "rebuild", "rebuild and reconnect")):
        a, b = small[key][field], large[key][field]
        per_mib = (b - a) / mib if mib else 0
        small_mem = small["ckpt-save"]["bytes"] / float(1 << 20)
        per_object = max(a - per_mib * small_mem, 0) / objects if objects else 0
        lines.append("  %-32s %12s %12s %14s %14s" % (what, "{:,}".format(a), "{:,}".format(b),
                                                      "{:,.0f}".format(per_mib),
                                                      "{:,.0f}".format(per_object)))
        if key == "ckpt-save":
            total["small"] += a
            total["large"] += b
    lines.append("  images: small %s bytes, large %s bytes, %d objects; the pause the child "
                 "sees is save + write (%s and %s)" % (
                     "{:,}".format(small["ckpt-save"]["bytes"]),
                     "{:,}".format(large["ckpt-save"]["bytes"]), objects,
                     "{:,}".format(total["small"]), "{:,}".format(total["large"])))
    for label in [label for label in ("touch8", "touch72") if label in ckpt]:
        save = ckpt[label]["ckpt-save"]
        lines.append("  incremental after writing %s of the large one's pages: save %s, write %s, "
                     "%d pages written" % (label[len("touch"):], "{:,}".format(save["save"]),
                                           "{:,}".format(save["write"]), save["written"]))
    lines.append("  (write and read wait for the disk, and idle time counts: they vary with the "
                 "host; save and rebuild do not)")
    lines.append("  anchor: CRIU dumps 1 GiB in about 55 ms on real hardware, %.0f us per MiB "
                 "(about %s instructions at 1 per ns)" % (CRIU_US_PER_MIB,
                                                         "{:,.0f}".format(CRIU_US_PER_MIB * 1000)))
    return lines


def pager_lines(appel, memory, counts):
    """The pager's tables: the Appel-Li primitives per configuration, and memtest's own
    instructions with the pager's counts, against nest."""
    labels = [label for row, label, _, _ in PAGER_RUNS if row == "appel"]
    lines = ["Appel-Li primitives (guest instructions each; PROTN per page; nest: no keeper, "
             "the trap goes straight to the program's handler):",
             "  %-8s %s" % ("", " ".join("%12s" % lab for lab in labels))]
    for key in APPEL:
        lines.append("  %-8s %s" % (key, " ".join(
            "%12s" % ("{:,}".format(appel[lab][key]) if lab in appel else "-")
            for lab in labels)))
    lines.append("")
    lines.append("memtest 256 (memory-bound), the program's own run, against nest at the "
                 "same depth:")
    for row, label, stack, _ in PAGER_RUNS:
        if row != "memtest" or label not in memory:
            continue
        base = memory.get("nest-d2" if "d2" in label else "nest")
        c = counts.get(label, {})
        extra = (" faults=%d evict=%d swapin=%d swapout=%d" % (
            c["faults"], c["evict"], c["swapin"], c["swapout"]) if "faults" in c else "")
        lines.append("  %-15s %-36s %10s %8s%s" % (label, ",".join(stack),
                                                   millions(memory[label]),
                                                   overhead(memory[label], base), extra))
    return lines


def configurations(quick):
    """(workload, label, Boot) for every run: bare, then each depth in each mode."""
    runs = []
    for name, argv, _ in WORKLOADS:
        runs.append((name, "bare", Boot(monitors=["root"], program=argv[0], args=argv[1:])))
        for depth in DEPTHS[1:]:
            if quick and depth > 1:
                continue
            for mode, monitor in MODES:
                runs.append((name, "%d-%s" % (depth, mode),
                             Boot(monitors=["root"] + [monitor] * depth, program=argv[0],
                                  args=argv[1:])))
    return runs


def boot(config, b, workdir, budget=BUDGET):
    """Run one configuration; returns (records, host seconds) or raises RuntimeError."""
    os.makedirs(workdir, exist_ok=True)
    wall = 60 + budget // 10 ** 7
    started = time.monotonic()
    with QemuMachine(config, b, secrets.token_hex(8), budget, wall, workdir) as m:
        run = m.start().wait()
    if run.outcome != END or run.end_status() != 0:
        raise RuntimeError("%s: %s (see %s)" % (b.cmdline("-", budget), run.describe(),
                                                workdir))
    return run.records, time.monotonic() - started


def stack_run(records):
    """The guest instructions of the root's METRIC stack-run record."""
    for text in records.texts("METRIC"):
        if text.startswith("stack-run "):
            return int(fields(text)["tsc"])
    raise RuntimeError("no METRIC stack-run record")


def prog_run(records, program):
    """The guest instructions of program's own METRIC prog-run record."""
    for text in records.texts("METRIC"):
        if text.startswith("prog-run ") and fields(text).get("name") == program:
            return int(fields(text)["tsc"])
    raise RuntimeError("no METRIC prog-run record for %s" % program)


def metrics(records):
    """Every key=value of every METRIC record, numbers as ints."""
    found = {}
    for text in records.texts("METRIC"):
        for key, value in fields(text).items():
            if value.isdigit():
                found[key] = int(value)
    return found


SYS_IPC = 80            # the ipc call's number (kern/syscall/syscalls.tbl)


class Tracer:
    """Counts the instructions of one span of a guest stopped under gdb, by the source file
    of the function each is in (user code as "user: PROGRAM")."""

    def __init__(self, g, kernel, program):
        self.g = g
        self.kernel = Symbols(kernel)
        self.user = Symbols(program)
        self.program = os.path.basename(program)
        self.files = {}

    def part(self, eip):
        if eip < 0xC0000000:
            return "user: " + self.program
        name = self.kernel.function(eip)
        if name is None:
            return "kernel: ?"
        start = self.kernel.address[name.split("+")[0]]
        if start not in self.files:
            where = self.kernel.lines([start]).get(start, "?")
            self.files[start] = where.split(":")[0].replace("kern/", "")
        return self.files[start]

    def run_to(self, address):
        self.g.set_break(address)
        self.g.cont()
        self.g.clear_break(address)
        return self.g.registers()

    def span(self, eip, esp):
        """Step until the thread that trapped returns to user eip with user esp: the
        instructions by part."""
        parts = collections.Counter({"arch/trapentry.S": 1})
        while True:
            self.g.step()
            r = self.g.registers()
            if r["eip"] == eip and r["esp"] == esp:
                return parts
            parts[self.part(r["eip"])] += 1


class TracedMachine(QemuMachine):
    """A machine a trace drives through gdb: no watchdog (a guest stepped one instruction
    at a time answers QMP slowly, and it ends when the trace closes it)."""

    def watch(self):
        self.proc.wait()


def trace_rpc(config, workdir):
    """A warm null RPC of ipccheck's timed loop: the tenth time the breakpoint on
    bench_null_rpc is hit (a breakpoint is on a virtual address, which the root's own code
    hits too before ipccheck runs; the loop's first call finds the new server cold)."""
    b = Boot(program="ipccheck")
    with TracedMachine(config, b, secrets.token_hex(8), BUDGET, 600, workdir, gdb=True) as m:
        m.start()
        prog = os.path.join(os.path.dirname(config.kernel), "..", "user", "ipccheck", "ipccheck")
        t = Tracer(m.rsp(), config.kernel, prog)
        entry, vector = t.user.address["bench_null_rpc"], t.kernel.address["vector64"]
        for _ in range(10):
            t.run_to(entry)
            t.g.step()      # off the breakpoint, so that the next cont leaves it
        while True:
            t.g.step()
            r = t.g.registers()
            if r["eip"] == vector and r["eax"] == SYS_IPC:
                break
        # The CPU pushed eip, cs, eflags, esp, ss; the vector has not pushed yet.
        parts = t.span(t.g.read_u32(r["esp"]), t.g.read_u32(r["esp"] + 12))
        t.g.close()
    return parts


def trace_fault(config, workdir):
    """The third page fault of keepcheck's pager test that its pager serves."""
    b = Boot(program="keepcheck")
    with TracedMachine(config, b, secrets.token_hex(8), BUDGET, 600, workdir, gdb=True) as m:
        m.start()
        prog = os.path.join(os.path.dirname(config.kernel), "..", "user", "keepcheck",
                            "keepcheck")
        t = Tracer(m.rsp(), config.kernel, prog)
        t.run_to(t.user.address["child_pages"])
        served = 0
        while True:
            r = t.run_to(t.kernel.address["vector14"])
            # The CPU pushed the error code, eip, cs, eflags, esp, ss.
            parts = t.span(t.g.read_u32(r["esp"] + 4), t.g.read_u32(r["esp"] + 16))
            if parts["user: keepcheck"] > 100:     # the pager ran: not the kernel alone
                served += 1
                if served == 3:
                    break
        t.g.close()
    return parts


def breakdown_lines(title, parts):
    total = sum(parts.values())
    lines = ["%s: %s instructions" % (title, "{:,}".format(total))]
    for part, n in parts.most_common():
        lines.append("  %8s %5.1f%%  %s" % ("{:,}".format(n), 100.0 * n / total, part))
    return lines


def millions(n):
    return "%.2fM" % (n / 1e6)


def overhead(n, base):
    return "%+.1f%%" % (100.0 * (n - base) / base) if base else "-"


def table(results):
    """The nesting table as lines: instructions at each stack, overhead against bare, and
    the cost of one more level (the slope from bare to the deepest stack measured)."""
    labels = ["bare"] + ["%d-%s" % (d, m) for d in DEPTHS[1:] for m, _ in MODES]
    labels = [lab for lab in labels if any(lab in r for r in results.values())]
    lines = ["%-8s %s" % ("workload", " ".join("%15s" % lab for lab in labels))]
    for name, _, _ in WORKLOADS:
        row = results.get(name, {})
        base = row.get("bare")
        cells = []
        for lab in labels:
            n = row.get(lab)
            if n is None:
                cells.append("%15s" % "-")
            elif lab == "bare":
                cells.append("%15s" % millions(n))
            else:
                cells.append("%15s" % ("%s %s" % (millions(n), overhead(n, base))))
        lines.append("%-8s %s" % (name, " ".join(cells)))
    lines.append("")
    lines.append("cost of one more level (instructions, bare to deepest):")
    for name, _, _ in WORKLOADS:
        row = results.get(name, {})
        for mode, _ in MODES:
            depths = [d for d in DEPTHS[1:] if "%d-%s" % (d, mode) in row]
            if "bare" in row and depths:
                deepest = max(depths)
                slope = (row["%d-%s" % (deepest, mode)] - row["bare"]) / deepest
                lines.append("  %-8s %-8s %12s per level" % (name, mode,
                                                             "{:,.0f}".format(slope)))
    return lines


def parse(argv):
    p = argparse.ArgumentParser(prog="bench.py", description="Fluke nesting benchmarks.")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    p.add_argument("--quick", action="store_true", help="depths 0 and 1 only")
    p.add_argument("--pager", action="store_true", help="the pager's figures only")
    p.add_argument("--micro", action="store_true", help="the microbenchmarks only")
    p.add_argument("--pm", action="store_true",
                   help="the process manager's figures only (pmbench and the leak run)")
    p.add_argument("--ckpt", action="store_true", help="the checkpointer's figures only")
    p.add_argument("--no-breakdown", action="store_true",
                   help="skip the traced breakdowns of a null RPC and a pager fault")
    p.add_argument("--image", default=os.path.join(os.path.dirname(HERE), "obj/fluke.img"))
    p.add_argument("--qemu", default="qemu-system-i386")
    p.add_argument("--artifacts", default=os.path.join(os.path.dirname(HERE), "obj/bench"))
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    # The grader's own configuration, with its defaults for what a benchmark never uses.
    kernel = os.path.join(os.path.dirname(args.image), "kern", "kernel")
    config = grade.Config(grade.parse(["--image", args.image, "--qemu", args.qemu,
                                       "--kernel", kernel, "--artifacts", args.artifacts]))
    only = args.pager or args.micro or args.pm or args.ckpt
    # A lab's tree before lab 3 has no process manager, before lab 5 no checkpointer:
    # their rows are left out there.
    top = os.path.dirname(args.image)
    has_pm = os.path.exists(os.path.join(top, "monitors", "pm", "pm"))
    has_ckpt = os.path.exists(os.path.join(top, "monitors", "ckpt", "ckpt"))
    runs = [] if only else configurations(args.quick)
    micro = [] if args.pager or args.ckpt else [
        (prog, Boot(monitors=mons, program=prog, args=pargs), keys)
        for prog, pargs, mons, keys in MICRO
        if ("pm" in mons and has_pm) or ("pm" not in mons and not args.pm)]
    paged = [] if only and not args.pager else [
        (row, label, Boot(monitors=["root"] + stack, program=argv[0], args=argv[1:]))
        for row, label, stack, argv in PAGER_RUNS]
    leak = [] if (only and not args.pm) or not has_pm else [
        Boot(monitors=["root", "pm"], program="leakcheck", args=[str(LEAK_RUNS)])]
    checkpointed = CKPT_RUNS if has_ckpt and (not only or args.ckpt) else []
    print("running %d configurations, %d pager runs, %d checkpoint runs, %d microbenchmarks "
          "and %d leak runs with %d jobs under QEMU -icount" % (
              len(runs), len(paged), len(checkpointed), len(micro), len(leak), args.jobs))
    appel, memory, counts, ckpt = {}, {}, {}, {}
    results, programs, seconds, failures, found, leaked = {}, {}, {}, [], {}, {}
    argv0 = {name: argv[0] for name, argv, _ in WORKLOADS}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = {pool.submit(boot, config, b, os.path.join(args.artifacts, name, label)):
                (name, label) for name, label, b in runs}
        jobs.update({pool.submit(boot, config, b, os.path.join(args.artifacts, prog)):
                     (prog, None) for prog, b, _ in micro})
        jobs.update({pool.submit(boot, config, b, os.path.join(args.artifacts, row, label)):
                     ("pager " + row, label) for row, label, b in paged})
        jobs.update({pool.submit(boot, config, b, os.path.join(args.artifacts, "leak"),
                                 LEAK_BUDGET): ("leak", None) for b in leak})
        jobs.update({pool.submit(ckpt_boot, config, label, kib, touch,
                                 os.path.join(args.artifacts, "ckpt", label)): ("ckpt", label)
                     for label, kib, touch in checkpointed})
        for job in concurrent.futures.as_completed(jobs):
            name, label = jobs[job]
            try:
                records, secs = job.result()
                if name == "ckpt":
                    ckpt[label] = records
                elif name == "pager appel":
                    appel[label] = metrics(records)
                elif name == "pager memtest":
                    memory[label] = prog_run(records, "memtest")
                    pager = [fields(t) for t in records.texts("METRIC")
                             if t.startswith("pager ")]
                    if pager:    # the innermost pager ends first
                        counts[label] = {k: int(v) for k, v in pager[0].items()}
                elif name == "leak":
                    leaked = {k: v for k, v in metrics(records).items()
                              if k.startswith("leak_")}
                    leaked["host_seconds"] = round(secs, 1)
                elif label is None:
                    found.update(metrics(records))
                else:
                    results.setdefault(name, {})[label] = stack_run(records)
                    programs.setdefault(name, {})[label] = prog_run(records, argv0[name])
                    seconds.setdefault(name, {})[label] = round(secs, 2)
            except RuntimeError as e:
                failures.append(str(e))
    if runs:
        nesting_lines(results, programs)
    if micro:
        micro_lines(micro, found)
    if paged:
        print()
        for line in pager_lines(appel, memory, counts):
            print(line)
    if leak:
        print()
        for line in leak_lines(leaked):
            print(line)
    if checkpointed and len(ckpt) == len(CKPT_RUNS):
        print()
        for line in ckpt_lines(ckpt):
            print(line)
    breakdown = {}
    if not args.no_breakdown and not (args.pager or args.pm or args.ckpt):
        for key, title, trace in (("null_rpc", "One null reliable RPC", trace_rpc),
                                  ("fault", "One page fault served by the pager", trace_fault)):
            try:
                parts = trace(config, os.path.join(args.artifacts, "trace-" + key))
            except Exception as e:       # a number we could not get, never a failure
                print("bench: no breakdown of %s: %s" % (key, e), file=sys.stderr)
                continue
            breakdown[key] = dict(parts)
            print()
            for line in breakdown_lines(title + " (traced, by source file)", parts):
                print(line)
    print()
    print("host time %.1f s with %d jobs (for scale only: the figures above do not depend "
          "on it)" % (time.monotonic() - started, args.jobs))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"stack": results, "program": programs, "host_seconds": seconds,
                       "pager": {"appel": appel, "memtest": memory, "counts": counts},
                       "ckpt": ckpt,
                       "micro": {k: found.get(k) for _, _, keys in micro for k, _ in keys},
                       "pm_leak": leaked,
                       "breakdown": breakdown},
                      f, indent=2, sort_keys=True)
    for failure in failures:
        print("bench: a run failed: " + failure, file=sys.stderr)
    return 1 if failures else 0


def nesting_lines(results, programs):
    """Print the nesting tables."""
    print()
    print("Guest instructions per run, and overhead against bare (lower is better):")
    for name, argv, what in WORKLOADS:
        print("  %-8s %-16s %s" % (name, " ".join(argv), what))
    for title, figures in (("The program's own run (from its first instruction to its exit):",
                            programs),
                           ("The whole stack (from the root loading the outermost monitor "
                            "to the program's exit):", results)):
        print()
        print(title)
        for line in table(figures):
            print(line)


def leak_lines(leaked):
    """The leak run's figures: the kernel's counts after the first and the last run."""
    if "leak_runs" not in leaked:
        return ["%s spawn+wait of true under pm: no figures" % "{:,}".format(LEAK_RUNS)]
    lines = ["%s spawn+wait of true in a row under pm (leakcheck), the kernel's counts after "
             "the first and the last (%.0f s of host time):" % (
                 "{:,}".format(leaked["leak_runs"]), leaked["host_seconds"])]
    for key, what in zip(LEAK_KEYS, ("free pages", "live objects",
                                     "small-object allocator's pages")):
        first, last = leaked["leak_%s_first" % key], leaked["leak_%s_last" % key]
        lines.append("  %-32s %8d %8d  %s" % (what, first, last,
                                               "same" if first == last else "LEAKED"))
    return lines


def micro_lines(micro, found):
    """Print the microbenchmarks."""
    print()
    print("Microbenchmarks (guest instructions each):")
    for _, _, keys in micro:
        for key, what in keys:
            value = found.get(key)
            print("  %12s  %s" % ("{:,}".format(value) if value is not None else "-", what))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
