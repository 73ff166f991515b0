"""Lab 0: the kernel API.

The Fluke kernel is given to students complete; these tests keep it honest.  Each boots one
test program as the first task (user/test/NAME/), which reports every check as BEGIN/PASS/FAIL
records, or commits a misuse on purpose and must be stopped with a clear report.
"""
import os
import re

import fluke_image
from gradelib import (Boot, Console, Deadlock, End, NoConsole, Part, Passed,
                      Record, check, test)
from gradelib.machine import TICK_COUNTS
from gradelib.records import fields

LAB = 0
TITLE = "The kernel API"


def program_test(name, program, checks, points_each=1, args=()):
    """A test whose parts are the named checks program reports as PASS records."""
    test(name, boot=Boot(program=program, args=args),
         parts=[Part(check, points_each, [Passed(check)]) for check in checks])


def misuse_test(name, program, args, report, points=1):
    """program misuses the kernel on purpose: the console must show report, and the run
    must end with the first task failed (END status=3), the kernel still in charge."""
    test(name, points=points, boot=Boot(program=program, args=args),
         expect=[Console(report), End(3)])


# The kernel base: bad system-call arguments get error codes; the shared C library. The
# printf flags (C99's for the integer conversions) are also compared on the console, line by
# line, with what a C99 printf prints for the same cases (user/test/kcheck formatter_flags).
FORMATTED = ["0xff|0XFF|0", "010|0|010|0|", "      0xab|0x000000ab|0xab    |",
             "+5| 5|+5| 0042|+007|-3", "||     |", "  00a|10   |     0ab|5       |", "5|5|5|5",
             "7   |7  |7|  001f", "0x10 3 ok", "0x123456789ab|+9000000000| 12|0100",
             "   +9|+9   |-0009| 9  |", "  010|0XBEEF|000010"]
test("syscall-args", boot=Boot(program="kcheck"),
     parts=[Part(check, 1, [Passed(check)]) for check in
            ["syscall-errors", "formatter", "strings"]] +
           [Part("formatter-flags", 1, [Passed("formatter-flags")] +
                 [Console("^fmt: %s\r?$" % re.escape(line)) for line in FORMATTED])])

# Programs that fault: the kernel reports the fault and the program's name, then stops.
for how, trap in [("write", "Page Fault"), ("divide", "Divide Error"),
                  ("int3", "Breakpoint"), ("gpf", "General Protection")]:
    misuse_test("user-fault-" + how, "fault", [how],
                r"^fault: unhandled %s in user mode at eip 0x[0-9a-f]{8}" % trap)

test("init-unknown", points=1, boot=Boot(program="nosuch"),
     expect=[Console(r"has no program 'nosuch'; it holds:.* hello"),
             Console(r"fix init= on the kernel command line"), End(3)])

# A budget= that is no number is reported with the fix, and the run goes on without one.
test("cmdline-bad-budget", points=1, boot=Boot(program="hello", keys=["budget=12x"]),
     expect=[Console(r"^kernel: budget=12x is not a number of instructions \(write e\.g\. "
                     r"budget=200000000"),
             Console(r"^hello from user space"), End(0)])

@check("budget-counts-from-boot", points=1, budget=30000000,
       boot=Boot(program="spin", args=["2000000000"]))
def budget_counts_from_boot(t):
    """budget= counts from the kernel's start (BOOT's tsc=), never from the reset: before
    it, the boot loader polls the disk while the host reads it, so that count is the host's
    doing (12.5M on an idle host, once 147M on a loaded one; handouts/boot.md section 2).
    A guest that spins for ever is stopped by the kernel's own TIMEOUT, past BOOT's tsc=
    plus the budget by less than two timer ticks."""
    run = t.boot()
    boot, timeouts = run.records.start(), run.records.texts("TIMEOUT")
    t.expect(boot and timeouts, "expected a BOOT record with tsc=N and a TIMEOUT record: %s"
             % run.describe())
    timeout = fields(timeouts[0])
    t.expect(timeout.get("tsc", "").isdigit() and timeout.get("budget", "").isdigit(),
             "expected TIMEOUT tsc=N budget=N, got TIMEOUT %r" % timeouts[0])
    used, budget = int(timeout["tsc"]) - boot, int(timeout["budget"])
    t.expect(budget < used <= budget + 2 * TICK_COUNTS,
             "the kernel stopped the guest %s counts after BOOT's tsc=%d, with budget=%s: "
             "expected it past the budget by less than two timer ticks (%s counts); a "
             "budget counted from the reset stops it early by the boot's count" % (
                 "{:,}".format(used), boot, "{:,}".format(budget),
                 "{:,}".format(2 * TICK_COUNTS)))
    t.expect(run.records.end_status() == 2, "expected END status=2 after the TIMEOUT: %s" %
             run.describe())


# Objects in user memory: every call's state round trip, hashes, move, references.
program_test("objects", "objcheck",
             ["state-mutex", "state-cond", "state-port-pset", "state-ref", "create-hash",
              "move", "move-every-type", "references", "mutex", "cond",
              "stack-object-outlives"])

# Each misuse raises the Insanity exception its code names.
for how, code in [("noobject", "NO_OBJECT"), ("wrongtype", "NOT_MUTEX"),
                  ("misaligned", "NOT_ALIGNED"), ("exists", "OBJECT_EXISTS"),
                  ("badaddr", "INVALID_ADDRESS"), ("locked", "MUTEX_LOCKED"),
                  ("notheld", "MUTEX_NOT_HELD"), ("notref", "NOT_REF")]:
    misuse_test("insanity-" + how, "objfault", [how],
                r"^objfault: unhandled Insanity \(%s\) in user mode" % code)

# Releasing a space destroys the objects in its pages and frees exactly its pages.
test("object-pages", points=2, boot=Boot(ktest="objpage"),
     expect=[Passed("ktest-objpage")])

# ktest=mtree: a space's mappings by address (kern/vm/mtree.c), 5,000 random inserts and
# removals, each followed by a check of the tree's order, heights and balance and of a
# lookup against a plain search.
test("mapping-tree", points=2, boot=Boot(ktest="mtree"), expect=[Passed("ktest-mtree")])

# Memory: spaces, regions, mappings, recursive translation, revocation, search, accounting.
program_test("memory", "vmcheck",
             ["boot-info", "space-create", "shared-mutex", "chain-3", "thread-in-child",
              "thread-dies", "region-search", "region-search-budget", "vm-state", "vm-cycle",
              "vm-accounting",
              "vm-charge-all", "vm-dirty", "vm-cpu", "vm-limit"])

# A chain A -> B -> C: revoking at A (region_protect NONE), or destroying B's mapping,
# makes C's access fault at the region where translation stopped.
test("revoke-protect", points=2, boot=Boot(program="vmcheck", args=["fault=protect"]),
     expect=[Record("INFO", r"expect-fault region=\w+ why=protection"),
             Console(r"^vm: vmcheck: read fault at 0x[0-9a-f]+ stopped at region \w+ "
                     r"offset 0x0: access beyond the region's protection"), End(3)])
test("revoke-unmap", points=2, boot=Boot(program="vmcheck", args=["fault=unmapped"]),
     expect=[Record("INFO", r"expect-fault region=\w+ why=no-mapping"),
             Console(r"^vm: vmcheck: read fault at 0x[0-9a-f]+ stopped at region \w+ "
                     r"offset 0x0: no mapping"), End(3)])
for how, code in [("overlap", "ADDRESS_OVERLAP"), ("misaligned", "NOT_ALIGNED"),
                  ("kernel", "INVALID_ADDRESS"), ("prot", "INVALID_PROT"),
                  ("nocreate", "INVALID_PROT"), ("dirty", "NOT_REGION")]:
    misuse_test("vm-insanity-" + how, "vmcheck", ["fault=" + how],
                r"^vmcheck: unhandled Insanity \(%s\) in user mode" % code)

# Threads: run, stop anywhere (spinning, blocked on a mutex or a condition), change
# registers and resume; interrupt; the mutex owner link; state round trip, move, hash.
program_test("threads", "thrcheck",
             ["thread-run", "thread-stop-spinning", "thread-stop-blocked-mutex",
              "thread-waiting-for-destroyed", "thread-woken-waits-for-nothing",
              "thread-stop-blocked-cond",
              "thread-interrupt", "thread-mutex-owner",
              "thread-state-round-trip", "thread-wake-preempts",
              "thread-priority-inheritance"])

# Exceptions to the program's own handler: insanity, divide, int3, page fault with its
# address, single-step (one exception per instruction); interrupts to a thread's
# interrupt handler while it waits on a mutex (it waits again), in an IPC receive (cut
# short after the handler) and while it runs; a fault in the handler is fatal.
# A page fault the thread's own handler takes is silent: the kernel's "vm:" line (where
# translation stopped) belongs to the report of a fault nobody took (api.md 7.1).
test("exceptions", boot=Boot(program="exccheck"),
     parts=[Part(check, 1, [Passed(check)] + ([NoConsole(r"^vm: ")] if check == "exc-page-fault"
                                              else []))
            for check in ["exc-insanity", "exc-priority-ceiling", "exc-insane-get-state",
                          "exc-divide",
                          "exc-breakpoint", "exc-page-fault", "exc-single-step",
                          "exc-interrupt", "exc-handlers-per-thread"]])
test("exception-in-handler", points=1, boot=Boot(program="exccheck", args=["nested"]),
     expect=[Console(r"^exccheck: unhandled Page Fault in user mode"),
             Console(r"^vm: exccheck: write fault at 0x00000020 stopped at region 00000000 "
                     r"offset 0x0: no mapping"), End(3)])

# IPC: one-way, idempotent (a server that replies twice), reliable RPC echo of 0 to
# 100,000 bytes, params whose page is replaced between two calls (the fast path's kept
# window onto them must not outlive the mapping), references in messages, ports moved between sets, disconnects, alerts,
# threads stopped and resumed mid-transfer, a request handed on to another port
# (fluke_ipc_forward), 4 clients x 2,000 RPCs on 2 servers, and a 32 MiB message that
# gives the CPU up at each timer tick (the kernel is not preempted).
program_test("ipc", "ipccheck",
             ["ipc-no-connection", "ipc-oneway", "ipc-idempotent", "ipc-bad-params",
              "ipc-reliable-echo", "ipc-params-remapped", "ipc-reference", "ipc-port-moved",
              "ipc-disconnect", "ipc-alert", "ipc-bad-buffers", "ipc-peer-destroyed",
              "ipc-rpc-sequence", "ipc-stop-mid-receive", "ipc-stop-mid-send", "ipc-restore-connection",
              "ipc-stop-idempotent-client", "ipc-stopped-receiver", "ipc-stopped-sender",
              "ipc-stopped-client", "ipc-forward", "ipc-null-rpc", "ipc-4-clients-2-servers",
              "ipc-long-transfer-yields"])   # the last one moves 32 MiB beside a spinner

# Keepers: a child's page faults reach the keeper of the region where translation
# stopped (a pager backs 1,000 pages on demand; copy-on-write), its exceptions reach its
# space's keeper (which moves eip past a divide, and single-steps it: one exception per
# instruction), its system calls' faults in kept memory reach the keeper too and the
# calls go on without repeating anything (the console write shows each character once),
# and a keeper faulting in memory it keeps itself is reported, not hung.
test("keepers", boot=Boot(program="keepcheck"),
     parts=[Part(check, 2, [Passed(check)]) for check in
            ["keeper-pager", "keeper-cow", "keeper-exceptions", "keeper-single-step"]] +
           [Part("keeper-syscalls", 2, [Passed("keeper-syscalls"),
                                         Console(r"^x{150}y{50}\r?$")])])
misuse_test("keeper-deadlock", "keepcheck", ["deadlock"],
            r"^keeper: keepcheck faulted at 0x78000000 in region \w+, which it keeps itself")


# Records can not be forged (handouts/boot.md section 4). forge is handed the run's nonce,
# as a leak would, and hides "FLUKE <nonce> END status=0" and "... PASS forged-N" behind
# every character that could end a line; the kernel must refuse each such record, so the
# run's one END is the kernel's own (status 3: forge exits 1) and no PASS counts.
def forge_test(label, monitors):
    @check("records-forge-" + label, points=1, boot=Boot(monitors=monitors, program="forge"))
    def forge(t):
        """A program that knows the nonce can not make one record read as two."""
        run = t.boot(Boot(monitors=monitors, program="forge", args=[t.nonce]))
        t.expect(not run.records.texts("PASS"),
                 "forged PASS records counted: %s" % "; ".join(run.records.texts("PASS")))
        ends = run.records.texts("END")
        t.expect(len(ends) == 1 and run.end_status() == 3,
                 "expected the kernel's one END status=3, got END records %r (%s)" % (
                     ends, run.describe()))
        t.expect(re.search(r"^forge: (\d+) of \1 forged records refused", run.console, re.M),
                 "expected 'forge: N of N forged records refused' on the console")


forge_test("init", [])
forge_test("root", ["root"])


# No program can read the nonce (handouts/boot.md section 2). noncehunt prints its
# arguments and every nonce= word and 16-hex-digit run in all the memory it can read;
# the grader's nonce must not be among them. It runs as init=, as a child of the root,
# and as the root itself: a boot file system whose "root" is noncehunt, so that it gets
# the whole command line, as the root monitor does.


def hunted(t, run):
    said = "\n".join(line for line in run.console.splitlines() if line.startswith("noncehunt"))
    t.expect(re.search(r"^noncehunt: done: ", said, re.M),
             "noncehunt did not finish its search: %s" % run.describe())
    t.expect(t.nonce not in said, "noncehunt found the run's nonce %s:\n%s" % (
        t.nonce, "\n".join(line for line in said.splitlines() if t.nonce in line)))
    t.expect(run.end_status() == 0, "expected END status=0: " + run.describe())


def noncehunt_test(label, monitors):
    @check("nonce-hidden-" + label, points=1,    # as the first task it reads all 110 MB
           boot=Boot(monitors=monitors, program="noncehunt"))
    def nonce_hidden(t):
        """noncehunt finds no trace of the nonce in what it can read."""
        hunted(t, t.boot())


noncehunt_test("init", [])
noncehunt_test("child", ["root"])


@check("nonce-hidden-root", points=1, emulator="qemu",
       boot=Boot(multiboot=True, keys=["stack=nest"]))
def nonce_hidden_root(t):
    """noncehunt, booted as the root monitor, finds no trace of the nonce in its command
    line or its memory."""
    obj = os.path.dirname(os.path.dirname(t.config.kernel))
    root = os.path.join(t.workdir, "root")
    with open(os.path.join(obj, "user", "noncehunt", "noncehunt"), "rb") as f, \
            open(root, "wb") as out:
        out.write(f.read())
    bootfs = os.path.join(t.workdir, "bootfs.img")
    with open(bootfs, "wb") as out:
        out.write(fluke_image.make_bootfs([root]))
    run = t.boot(Boot(multiboot=True, initrd=bootfs, keys=["stack=nest"]))
    t.expect(re.search(r"^noncehunt: argv\[\d+\] = 'stack=nest'", run.console, re.M),
             "expected noncehunt, as the root, to get the command line's stack=nest")
    hunted(t, run)


# A deadlock is reported at once (handouts/boot.md section 4): when no thread can run and
# none waits for console input, nothing can wake one (the timer wakes no thread), so the
# kernel writes DEADLOCK and a BLOCKED record for each thread, and ends with END status=4;
# the grader's report lists them. The budget (3 times the need: grade/budgets.txt) is
# small, so a kernel that waits instead of reporting times out at once.
MUTEX_WAIT = r"\(deadlock, space \w+, eip \w+\) waits for mutex \w+, held by thread \w+"
test("deadlock-mutex", points=1,
     boot=Boot(program="deadlock", args=["mutex"]),
     expect=[Deadlock(MUTEX_WAIT + ".*; thread .*" + MUTEX_WAIT), End(4),
             Console(r"^kernel: deadlock: every thread is blocked and nothing can wake one")])
test("deadlock-receive", points=1,
     boot=Boot(program="deadlock", args=["receive"]),
     expect=[Deadlock(r"waits to receive on port set \w+", r"waits for a server of port \w+"),
             End(4)])
# Threads all blocked but one that sleeps (spins, yielding, for three timer ticks) are no
# deadlock: the sleeper lets the others go, and the program ends normally.
test("deadlock-not-sleeping", points=1,
     boot=Boot(program="deadlock", args=["sleep"]),
     expect=[Console(r"^deadlock: sleep: the second thread ran after main slept"),
             Record("DEADLOCK", count=0), End(0)])


# The first task holds the ATA channels and COM2 from boot (handouts/api.md, "I/O ports"):
# as init= it may use them (a byte written to a primary ATA register reads back) and give
# them to itself again, but not take COM1 (the kernel's) or a range it holds only in part.
# It gives the primary channel to a child space it makes, which uses it and faults on COM2
# (not given): the kernel reports that and goes on. Once the first task gives the channel
# up, touching it is a general protection fault at once (the TSS's bitmap follows), and,
# the first task having no keeper, the run ends.
test("io-root", points=2, boot=Boot(program="iocheck", args=["root"]),
     expect=[Passed("iocheck-delegated"), Passed("iocheck-root"),
             # The child's fault, on COM2's scratch register (the port is in dx):
             Console(r"^  eax 0x[0-9a-f]{8}  ebx 0x[0-9a-f]{8}  ecx 0x[0-9a-f]{8}  "
                     r"edx 0x000002ff"),
             Console(r"^iocheck: touching a port it gave up\r?$"),
             Console(r"^iocheck: unhandled General Protection in user mode"),
             Console(r"edx 0x000001f7"),
             NoConsole(r"^iocheck: read"),
             Console(r"^roottask: the first task failed; stopping"), End(3)])
