"""Lab 0: monitors and the Common Protocols.

The root monitor is the first task; it reads the boot configuration (stack= and prog= on
the kernel command line, else boot.conf) and composes the stack of monitors.  The same
programs run at every depth of pass-through monitors (monitors/nest), forwarding or handing
their references straight through, and print exactly the same lines; the root's record
METRIC stack-run ... tsc=N gives the guest instructions the program took from its start to
its exit (under -icount one count is one instruction), so the cost of a level reads off the
difference between depths.  The shell is driven over the serial line.
"""
import time

from gradelib import Boot, Console, Deadlock, End, NoConsole, Passed, Record, check
from gradelib import test
from gradelib.records import fields
from gradelib.serial import serial_machine

LAB = 0
TITLE = "Monitors and the Common Protocols"

EOL = r"\r?$"     # the serial console ends lines with \r\n

# Each program, its arguments, and every line it prints (the whole of its output).
PROGRAMS = [
    ("hello", ["a", "b"], [r"hello from user space: hello a b \(argc=3\)"]),
    ("memtest", ["64"], [r"memtest: 64 pages, 0 bad words"]),
    ("spin", [], [r"spin: 2262 primes below 20000"]),
    ("rpcload", [], [r"rpcload: \d+ requests, checksum [0-9a-f]{8}"]),
]

# Depth 0 (the root runs the program), then 1, 2 and 4 pass-through monitors, each way.
STACKS = [("d0", [])]
for depth in (1, 2, 4):
    for mode in ("forward", "direct"):
        name = "nest" if mode == "forward" else "nest:direct"
        STACKS.append(("d%d-%s" % (depth, mode), [name] * depth))


def levels(stack):
    """What each nest of the stack reports when it ends (METRIC nest mode=M forwarded=N):
    exactly one record per level, a forwarding level having passed requests up and a
    direct one none after its start."""
    forward = sum(1 for name in stack if name == "nest")
    direct = len(stack) - forward
    return [Record("METRIC", r"^nest mode=forward forwarded=[1-9]\d*$", count=forward),
            Record("METRIC", r"^nest mode=direct forwarded=0$", count=direct),
            Record("METRIC", r"^nest ", count=len(stack))]


for program, args, lines in PROGRAMS:
    for label, stack in STACKS:
        test("stack-%s-%s" % (program, label), points=1,
             boot=Boot(monitors=["root"] + stack, program=program, args=args),
             expect=[Console("^" + line + EOL) for line in lines] + [
                 NoConsole(r"^(root|nest): "),      # no monitor had anything to say
                 Record("METRIC", r"stack-run stack=\S+ prog=%s tsc=\d+" % program),
                 End(0)] + levels(stack))

# Where the Parent protocol and server threads matter: the root alone, and one or two
# monitors of each kind above the program.
SERVED = [(label, stack) for label, stack in STACKS if not label.startswith("d4")]

# parentcheck: a SPAWN or WAIT sent again (the same message; a thread stopped and resumed
# in its SPAWN call) gets the same answer, and each hello it starts runs once.
for label, stack in SERVED:
    test("parent-resend-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="parentcheck"),
         expect=[Passed(name) for name in ("parent-spawn-resend", "parent-wait-resend",
                                           "parent-spawn-stopped")] +
         [Console(r"^hello from user space: hello %s \(argc=2\)" % word + EOL)
          for word in ("once", "waited", "stopped")] +
         [NoConsole(r"\b(once|waited|stopped)\b[\s\S]*\b\1\b"),   # none ran twice
          Console(r"^parentcheck: 0 failure\(s\)" + EOL), End(0)])

# protocheck: a Console WRITE, a MemPool GET and PUT, and FileSystem requests sent again (the
# same message; a thread stopped and resumed in its call) take effect once and get the same
# answers: each line is written once, the pool's MemPool STAT counts each region once.
PROTO_TESTS = ("console-write-resend", "console-write-stopped", "mempool-get-resend",
               "mempool-put-resend", "mempool-get-stopped", "mempool-put-stopped", "fs-stopped")
for label, stack in SERVED:
    test("proto-resend-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="protocheck"),
         expect=[Passed(name) for name in PROTO_TESTS] +
         [Console(r"^protocheck: written once \(%s\)" % how + EOL) for how in ("resent", "stopped")] +
         [NoConsole(r"written once \((resent|stopped)\)[\s\S]*written once \(\1\)"),
          Console(r"^protocheck: 0 failure\(s\)" + EOL), End(0)])

# fsbulk: FileSystem READ_BULK gives READ's bytes a page a request, through every monitor in
# between (a forwarding nest passes the reply's tail down), refuses offsets past the end,
# lengths out of range, bad handles and buffers that are not the program's memory, and
# fluke_fs_load_program (what every monitor loads its child with) reads a program up to the
# end of its last loaded segment only.
for label, stack in SERVED:
    test("fs-bulk-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="fsbulk"),
         expect=[Passed(name) for name in ("fsbulk-data", "fsbulk-refused", "fsbulk-program")] +
         [Console(r"^fsbulk: \d+ bytes in \d+ READ_BULK requests; 0 failure\(s\)" + EOL),
          End(0)])

# memreturn: memtest 64 runs ten times, each a child of memreturn's parent, and the root's
# pool has as much free after the last run as after the first: a program's memory goes back
# when it exits, also when its regions come straight from the root (nest:direct: the nest
# asks the root to RELEASE them) and when a direct level sits above or below a forwarding one.
RETURN_STACKS = SERVED + [("d2-forward-direct", ["nest", "nest:direct"]),
                          ("d2-direct-forward", ["nest:direct", "nest"])]
for label, stack in RETURN_STACKS:
    test("mempool-return-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="memreturn"),
         expect=[Passed("mempool-return"),
                 Console(r"^memreturn: 10 runs of memtest 64; the pool has 0 pages less after "
                         r"the last than after the first" + EOL), End(0)])

test("stack-unknown-monitor", points=2,
     boot=Boot(monitors=["root", "nest", "nosuch"], program="hello"),
     expect=[Console(r"^root: unknown monitor 'nosuch' in stack=nest,nosuch; "
                     r"the monitors are:( \S+)* nest( \S+)*" + EOL), End(3)])

test("stack-unknown-program", points=1,
     boot=Boot(monitors=["root", "nest"], program="nosuch"),
     expect=[Console(r"^root: unknown program 'nosuch' in prog=; the programs are:.* hello"),
             NoConsole(r"the programs are:.* (root|nest)\b"), End(3)])

# A program given a bad argument says what it wants instead of acting on half of it.
test("memtest-bad-argument", points=1,
     boot=Boot(monitors=["root"], program="memtest", args=["12x"]),
     expect=[Console(r"^memtest: '12x' is not a number of pages from 1 to 262144; write e\.g\. "
                     r"memtest 64" + EOL),
             Console(r"^root: memtest exited with status 2" + EOL), End(3)])

# The root is the first task, not a program a stack may run.
test("stack-root-is-no-program", points=1,
     boot=Boot(monitors=["root"], program="root"),
     expect=[Console(r"^root: unknown program 'root' in prog=; the programs are:.* hello"),
             End(3)])

# A misspelt key stops the boot with its name instead of booting something else.
test("stack-unknown-key", points=1,
     boot=Boot(monitors=["root"], program="hello", keys=["stak=nest"]),
     expect=[Console(r"^root: unknown word 'stak=nest' in the boot configuration; the keys "
                     r"are stack= and prog="),
             NoConsole(r"^hello from user space"), End(3)])

# A mode the monitor does not have is named, with the modes it has.
test("stack-unknown-mode", points=1,
     boot=Boot(monitors=["root", "nest:bogus"], program="hello"),
     expect=[Console(r"^nest: unknown mode 'bogus'; the modes are: forward \(the default\), "
                     r"direct" + EOL),
             NoConsole(r"^hello from user space"), End(3)])

test("stack-fault", points=2,
     boot=Boot(monitors=["root", "nest", "nest"], program="fault"),
     expect=[Console(r"^fault: about to fault \(write\)" + EOL),
             Console(r"^nest: fault: Page Fault \(code 0x6\) at eip 0x[0-9a-f]{8}, "
                     r"address 0x00000000; ending it" + EOL),
             Console(r"^root: nest exited with status 255" + EOL), End(3),
             # The monitor library's hooks (ended, parent) as each nest counted them: the
             # inner one ended fault for its fault after one Parent GET (Console), the
             # outer one saw the inner one exit.
             Record("METRIC", r"^nest-children mode=forward exited=0 faulted=1 "
                    r"parent-requests=1$"),
             Record("METRIC", r"^nest-children mode=forward exited=1 faulted=0 "
                    r"parent-requests=\d+$")])


@check("shell", points=5, emulator="qemu", boot=Boot(monitors=["root"]))
def shell(t):
    """The default configuration boots into the shell; typed over the serial line, ls,
    echo hi, hello and a faulting program get their answers, and exit stops the machine."""
    m = serial_machine(t)
    m.wait_for(r"^\$ ")
    m.type("ls\r")
    m.wait_for(r"^hello\s+\d+" + EOL)
    m.wait_for(r"^\$ ")
    m.type("echo hi\r")
    m.wait_for(r"^hi" + EOL)
    m.type("hellp\x7fo\r")
    m.wait_for(r"^hello from user space: hello \(argc=1\)" + EOL)
    m.wait_for(r"^\[hello: exit status 0\]" + EOL)
    m.type("fault\r")
    m.wait_for(r"^root: fault: Page Fault \(code 0x6\) at eip 0x[0-9a-f]{8}")
    m.wait_for(r"^\[fault: exit status 255\]" + EOL)
    m.type("echo still here\r")
    m.wait_for(r"^still here" + EOL)
    m.type("exit\r")
    run = m.wait()
    t.expect(run.records.end_status() == 0, "expected END status=0 after exit: " +
             run.describe())


IDLE_SECONDS = 1.0    # wall time at the prompt; a polling reader calls thousands of times
IDLE_READS = 40       # "exit\r" and the prompt take about a dozen sleeping reads


@check("shell-idle", points=2, emulator="qemu", boot=Boot(monitors=["root"]))
def shell_idle(t):
    """An idle shell leaves the CPU idle: it sits at its prompt for a second, then exits,
    and the kernel's METRIC console-read shows that the root slept in the kernel's console
    read (a few calls per key typed) rather than polling it (thousands of calls)."""
    m = serial_machine(t)
    m.wait_for(r"^\$ ")
    time.sleep(IDLE_SECONDS)
    m.type("exit\r")
    run = m.wait()
    calls = [fields(r).get("calls") for r in run.records.texts("METRIC")
             if r.startswith("console-read ")]
    t.expect(run.records.end_status() == 0, "expected END status=0 after exit: " +
             run.describe())
    t.expect(calls and calls[-1].isdigit() and int(calls[-1]) <= IDLE_READS,
             "expected METRIC console-read calls=N with N <= %d (console input must sleep, "
             "not poll), got %r" % (IDLE_READS, calls))


IDLE_FREE_SECONDS = 2.0   # at the prompt; idle time once cost the budget 5-18M a second
IDLE_FREE_SLACK = 100000   # busy counts the idle boot may spend beyond the brisk one (the
                           # kernel's part of either is some 1.22M, alike within 2,000)


def busy_to_exit(t, seconds):
    """Boot the root's shell, wait seconds at its prompt, exit it: the busy time-stamp
    counts from the kernel's start (BOOT's tsc=, what the firmware ran) to END's tsc=."""
    m = serial_machine(t)
    m.wait_for(r"^\$ ")
    time.sleep(seconds)
    m.type("exit\r")
    run = m.wait()
    counts = []
    for kind in ("BOOT", "END"):
        texts = run.records.texts(kind)
        tsc = fields(texts[-1]).get("tsc", "") if texts else ""
        t.expect(tsc.isdigit(), "expected a %s record with tsc=N: %s" % (kind, run.describe()))
        counts.append(int(tsc))
    return counts[1] - counts[0]


@check("shell-idle-is-free", points=1, emulator="qemu", boot=Boot(monitors=["root"]))
def shell_idle_is_free(t):
    """Time the whole system spends idle is not busy time: a shell that waits 2 s at its
    prompt before exit spends, from BOOT's tsc= to END's (the busy counts a test's budget
    is measured in, less the firmware's, which varies by a million), within 100,000 of
    what one that exits at once spends. Under -icount sleep=off a waiting guest takes
    thousands of timer ticks a wall second, and a UART the host reads slowly holds the
    kernel's console output: both are the host's time, and a loaded host must not use up
    a test's budget."""
    brisk = busy_to_exit(t, 0)
    idle = busy_to_exit(t, IDLE_FREE_SECONDS)
    t.expect(idle - brisk <= IDLE_FREE_SLACK,
             "waiting %g s at the prompt cost %d busy counts more than exiting at once "
             "(%d against %d): idle time is being charged as busy" % (
                 IDLE_FREE_SECONDS, idle - brisk, idle, brisk))


CONWAIT = (r"^conwait: 16 of 16 MemPool and FileSystem requests answered while a Console "
           r"READ waits" + EOL)


def conwait_test(label, stack):
    @check("conwait-%s" % label, points=1, emulator="qemu",
           boot=Boot(monitors=["root"] + stack, program="conwait"))
    def conwait(t):
        """While one thread of conwait waits in a Console READ, its other thread gets
        MemPool and FileSystem answers through the same monitors (each serves on several
        threads); the reader, stopped and resumed there, sends its READ again, and the
        key the grader types still reaches it."""
        m = serial_machine(t)
        m.wait_for(CONWAIT)
        m.type("x")
        m.wait_for(r"^conwait: read 'x'" + EOL)
        run = m.wait()
        t.expect(run.records.end_status() == 0, "expected END status=0: " + run.describe())


WAITS = 3     # the outer shell's one WAIT, with room for a resend; polling makes thousands


def shell_wait_test(label, stack):
    @check("shell-wait-%s" % label, points=1, emulator="qemu",
           boot=Boot(monitors=["root"] + stack, program="sh"))
    def shell_wait(t):
        """The shell runs a second shell and waits for it while that one sits a second at
        its prompt: the monitor serving the outer shell's Parent WAIT sleeps until the
        inner one exits, so every monitor's METRIC parent-wait counts a WAIT request or
        two, not one per yield of a polling loop."""
        m = serial_machine(t)
        m.wait_for(r"^\$ ")
        m.type("sh\r")
        m.wait_for(r"^Fluke shell: type help" + EOL)
        m.wait_for(r"^\$ ")
        time.sleep(IDLE_SECONDS)
        m.type("exit 7\r")
        m.wait_for(r"^\[sh: exit status 7\]" + EOL)
        m.type("exit\r")
        run = m.wait()
        waits = [fields(r) for r in run.records.texts("METRIC")
                 if r.startswith("parent-wait ")]
        t.expect(run.records.end_status() == 0, "expected END status=0 after exit: " +
                 run.describe())
        t.expect(len(waits) == 1 + len(stack), "expected a METRIC parent-wait from each "
                 "of the %d monitors, got %r" % (1 + len(stack), waits))
        t.expect(all(w.get("requests", "").isdigit() and int(w["requests"]) <= WAITS
                     for w in waits),
                 "expected METRIC parent-wait requests=N with N <= %d at every monitor "
                 "(WAIT must sleep in the server, not poll), got %r" % (WAITS, waits))


for label, stack in SERVED:
    conwait_test(label, stack)
    shell_wait_test(label, stack)


# A deadlock under monitors is reported at once, with every thread of the stack and what it
# waits on (handouts/boot.md section 4). The program's two threads wait for each other's
# mutex; the monitors' threads wait to receive (nobody asks them anything).
for label, stack in [("root", []), ("nest", ["nest"]), ("nest-direct", ["nest:direct"])]:
    test("deadlock-under-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="deadlock", args=["mutex"]),
         expect=[Deadlock(r"waits for mutex \w+, held by thread .*waits for mutex \w+, held by",
                          r"waits to receive on port set"), End(4)])

# The shell waits for console input, which nothing here will type: the kernel reports
# IDLE, one thread waiting for input, and the grader, which has no input to send, reports
# the deadlock at once instead of waiting out its wall-clock net.
test("deadlock-idle-shell", points=1, boot=Boot(monitors=["root"]),
     expect=[Deadlock(r"waits for console input"), Record("IDLE", r"console=1 input=0")])


@check("deadlock-after-input", points=1, emulator="qemu",
       boot=Boot(monitors=["root"]))
def deadlock_after_input(t):
    """A shell idle at its prompt is no deadlock while the grader may type: typed, hello
    runs. Once the grader says it types no more (wait()) and the shell has all it typed, the
    idle shell is a deadlock, reported at once."""
    m = serial_machine(t)
    m.wait_for(r"^\$ ")
    m.type("hello\r")
    m.wait_for(r"^hello from user space: hello \(argc=1\)" + EOL)
    m.wait_for(r"^\$ ")
    run = m.wait()
    why = run.describe()
    t.expect(why.startswith(Deadlock.HEAD) and "waits for console input" in why,
             "expected a deadlock waiting for console input, got: " + why)
    t.expect(run.records.texts("IDLE")[-1].endswith("input=6"),
             "expected the last IDLE record to count the 6 characters typed, got %r" % (
                 run.records.texts("IDLE")))


# Identity comes from the capability a request arrives through (handouts/overview.md,
# "Clients"): under every stack where a program shares its monitors with others, a hostile
# program (user/test/hostile) that names other clients in its requests learns and changes
# nothing of theirs, and its monitors and siblings go on.
HOSTILE_STACKS = [("d1-forward", ["nest"]), ("d2-forward", ["nest", "nest"]),
                  ("d2-direct-forward", ["nest:direct", "nest"]),
                  ("d1-direct", ["nest:direct"])]
for label, stack in HOSTILE_STACKS:
    boot = lambda *args: Boot(monitors=["root"] + stack, program="hostile", args=list(args))
    test("hostile-scan-%s" % label, points=1, boot=boot("scan"),
         expect=[Console(r"^hostile: 0 of 2048 guessed clients told me their memory; "
                         r"0 RELEASEs taken" + EOL),
                 Console(r"^hello from user space: hello sibling \(argc=2\)" + EOL),
                 Console(r"^hostile: after the scan a sibling ended with status 0 and I "
                         r"still get memory" + EOL),
                 NoConsole(r"^hostile: client "), End(0)])
    test("hostile-release-%s" % label, points=1, boot=boot("victim"),
         expect=[Console(r"^hostile: after a sibling's RELEASE \(status 0\) my memory has "
                         r"0 bad words" + EOL),
                 NoConsole(r"^(root|nest): "), End(0)])
    test("hostile-forged-request-%s" % label, points=1, boot=boot("writer"),
         expect=[Console(r"^hostile: a forged WRITE" + EOL),
                 Console(r"^hostile: the writer's line is written \(the forger ended with "
                         r"status 0\)" + EOL), End(0)])

# Nothing a child does keeps memory past its end: a program that takes 100 regions of 1 MB
# and exits without giving them back, run twice under forwarding monitors, gets as much the
# second time, and the pool has as much free after each run. (100 MB leave room for the
# boot file system, which takes memory with every program added to it.)
for label, stack in [("d1-forward", ["nest"]), ("d2-forward", ["nest", "nest"])]:
    test("hostile-hog-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="hostile", args=["hogtwice", "100"]),
         expect=[Console(r"^hostile: hog 100 got 100 MB, then 100 MB; the pool had \d+ pages "
                         r"free before, (\d+) after the first, \1 after the second" + EOL),
                 End(0)])

# One rule for what is a program, wherever programs start: the root is none, so a SPAWN of
# it is refused by every monitor, as the root refuses prog=root.
for label, stack in [("d1-forward", ["nest"]), ("d2-forward", ["nest", "nest"])]:
    test("hostile-spawn-root-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="hostile", args=["spawnroot"]),
         expect=[Console(r"^hostile: SPAWN root refused \(error 8\)" + EOL),   # NOT_FOUND
                 NoConsole(r"^(root|nest): "), End(0)])

# Parent CLIENT, as a monitor uses it for each child: a resent CLIENT gets the same client,
# memory got through its MemPool is that client's alone and goes back when it ends (EXIT
# through its Parent port), and it cannot SPAWN.
for label, stack in [("d0", []), ("d1-forward", ["nest"]), ("d1-direct", ["nest:direct"])]:
    test("parent-client-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="hostile", args=["clients"]),
         expect=[Passed("parent-client"), End(0)])


# COM2 is lent down any stack (Parent IOPORTS): at depth 0, 1 and 2 a program asks for it and
# gets it (its in and out there are no fault), is refused an ATA channel, and io_wait says
# FLUKE_NOT_PERMITTED before it holds COM2 and FLUKE_INVALID_ARGUMENT for ports no lendable
# device owns.
for label, stack in [("d0", []), ("d1", ["nest"]), ("d2", ["nest", "nest:direct"])]:
    test("io-lent-com2-%s" % label, points=1,
         boot=Boot(monitors=["root"] + stack, program="iocheck", args=["lent"]),
         expect=[Passed("iocheck-lent"), NoConsole(r"^(root|nest): "), End(0)])

# I/O ports are the first task's (handouts/api.md, "I/O ports"): a program under the root,
# or under one or two nests, holds none and cannot take any (space_io_permit refuses), and
# its in or out is a general protection fault its own monitor reports; the kernel and the
# monitors go on (the run ends as after any fault).
IO_STACKS = [("d0", []), ("d1", ["nest"]), ("d2", ["nest", "nest:direct"])]
for label, stack in IO_STACKS:
    for mode in ("in", "out", "high"):
        reporter = stack[-1].split(":")[0] if stack else "root"
        test("io-denied-%s-%s" % (mode, label), points=1,
             boot=Boot(monitors=["root"] + stack, program="iocheck", args=[mode]),
             expect=[Passed("iocheck-permit"),
                     Console(r"^iocheck: about to touch a port \(%s\)" % mode + EOL),
                     Console(r"^%s: iocheck: General Protection \(code 0x0\) at eip "
                             r"0x[0-9a-f]{8}, address 0x[0-9a-f]{8}; ending it" % reporter
                             + EOL),
                     NoConsole(r"^iocheck: (read|still running)"),
                     End(3)])


# The swap disk (handouts/boot.md, "The swap disk"): every run gets a fresh, empty one as
# the second disk, which the root's ATA driver serves as Block and each nest forwards (or
# hands through), so blockcheck sees the same disk at every depth: SIZE, patterns written and
# read back, range errors and malformed writes refused. With no second disk every Block
# request is FLUKE_NOT_FOUND and the root says why, once.
SWAP_SECTORS = 64512    # tools/emulator.py SWAP_BYTES / 512
for label, stack in IO_STACKS:
    test("block-%s" % label, points=2,
         boot=Boot(monitors=["root"] + stack, program="blockcheck"),
         expect=[Passed("blockcheck-size"), Passed("blockcheck-rw"),
                 Passed("blockcheck-range"), Passed("blockcheck-malformed"),
                 Console(r"^blockcheck: %d sectors, all checks passed" % SWAP_SECTORS + EOL),
                 NoConsole(r"^(root|nest): "), End(0)])
test("block-no-disk", points=1,
     boot=Boot(monitors=["root", "nest"], program="blockcheck", args=["none"], swap=False),
     expect=[Console(r"^root: no swap disk: no drive answers as the primary channel's slave "
                     r"\(the emulator attaches obj/swap.img there\); every Block request gets "
                     r"FLUKE_NOT_FOUND" + EOL),
             Console(r"^blockcheck: no disk: SIZE, READ and WRITE answer FLUKE_NOT_FOUND" + EOL),
             End(0)])
# make bench's row: the cost of a one-sector READ and WRITE through the root.
test("block-bench", points=1,
     boot=Boot(monitors=["root"], program="blockcheck", args=["bench"]),
     expect=[Record("METRIC", r"^block-bench sectors=64 block_read_tsc=[1-9]\d* "
                              r"block_write_tsc=[1-9]\d*$"), End(0)])
