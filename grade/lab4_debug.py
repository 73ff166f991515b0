"""Lab 4: the debugger monitor (monitors/debug, handouts/lab4.md).

The debugger is the keeper of its child's exceptions and holds all of its memory: it
serves GDB's Remote Serial Protocol on COM2, which the grader puts on a Unix socket
(m.path("com2")): QEMU's own, or under Bochs the relay Bochs connects to (gradelib/relay.py).  The real host GDB drives it in batch mode: breakpoints, next,
step, finish, print, bt, set var, watch, info threads, a fault, detach.  The grader's own
RSP client (gradelib/rsp.py) checks that at one stop the registers and memory the
debugger reports are what QEMU's own gdb stub reads of the same thread, and sends it
malformed, oversized and truncated packets.  The program is user/test/dbgprog.
"""
import os
import re
import socket
import struct
import subprocess
import threading
import time

from gradelib import Boot, Console, End, Failure, Part, check, test
from gradelib.records import fields
from gradelib.rsp import RemoteGDB, checksum

LAB = 4
TITLE = "The debugger monitor"

BUDGET = 3000000000
MARK = "@@ "
GDB_QEMU_SECONDS = 120      # host gdb's time for a session under QEMU (wall time)
GDB_GRACE = 30              # ... and after its machine has ended (remotetimeout)
READY = "waiting for GDB on COM2"


def program_path(t, name):
    """obj/user/NAME/NAME (or obj/monitors/NAME/NAME), next to the kernel."""
    objdir = os.path.dirname(os.path.dirname(t.config.kernel))
    for top in ("user", "monitors"):
        path = os.path.join(objdir, top, name, name)
        if os.path.exists(path):
            return path
    raise Failure("%s is not built; run 'make'" % name)


def wait_ready(t, m, timeout=60):
    """Wait until the debugger says it waits for GDB (its child stopped at its entry):
    under QEMU for timeout s, under Bochs (slow to boot on a loaded host) while the machine
    runs, which its safety net bounds."""
    deadline = time.monotonic() + timeout
    while READY not in m.read("console"):
        late = m.emulator == "qemu" and time.monotonic() > deadline
        if m.proc.poll() is not None or late:
            raise Failure("the debugger never said %r; the console:\n%s" % (
                READY, m.read("console").strip()))
        time.sleep(0.05)


def gdb_run(t, m, symbols, steps):
    """Run host gdb in batch mode on symbols, connected to the debugger on COM2, each
    command preceded by an echo of MARK and its name; {name: output}, and all of it.
    Under QEMU gdb gets 120 s (a session takes a few).  Bochs paces the line at its baud
    rate and steps slowly (a session takes minutes, more on a loaded host), so there gdb
    may take as long as the machine runs, which its own safety net (on Bochs's CPU time)
    bounds, and GDB_GRACE more."""
    argv = [t.config.gdb, "-n", "-batch", "-ex", "set pagination off",
            "-ex", "set confirm off", "-ex", "set remotetimeout 30", "-ex", "file " + symbols,
            "-ex", "target remote " + m.path("com2")]
    for name, command in steps:
        argv += ["-ex", "echo %s%s\\n" % (MARK, name), "-ex", command]
    try:
        gdb = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    except FileNotFoundError:
        raise Failure("%s is not installed; run 'make doctor'" % t.config.gdb)
    started, ended = time.monotonic(), None
    while True:
        try:
            stdout, _ = gdb.communicate(timeout=1)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if ended is None and m.proc.poll() is not None:
            ended = now
        late = (m.emulator == "qemu" and now - started > GDB_QEMU_SECONDS or
                ended is not None and now - ended > GDB_GRACE)
        if late:
            gdb.kill()
            stdout, _ = gdb.communicate()
            raise Failure("gdb did not finish within %s; it printed:\n%s" % (
                "%d s" % GDB_QEMU_SECONDS if ended is None else
                "%d s of the machine's end" % GDB_GRACE,
                stdout.decode("utf-8", "replace")))
    out = stdout.decode("utf-8", "replace")
    m.save("gdb.txt", " ".join(argv) + "\n\n" + out)
    parts = re.split(r"^" + re.escape(MARK) + r"(\S+)\n", out, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2])), out


def session(t, stack, args, steps, symbols="dbgprog"):
    """Boot root + stack + dbgprog args with COM2, run gdb's steps once the debugger is
    ready, and wait for the run to end: (sections, gdb's output, the Run)."""
    boot = Boot(monitors=["root"] + stack, program="dbgprog", args=args)
    m = t.machine(boot, com2=True)
    wait_ready(t, m)
    got, out = gdb_run(t, m, program_path(t, symbols), steps)
    run = m.wait()
    return got, out, run


def normal_end(run):
    """Whether dbgprog printed its normal, undebugged result line."""
    return re.search(r"^dbgprog: total=60 scale=3 counter=20\r?$", run.console, re.M)


def shown(out, run):
    return "gdb printed:\n%s\n--- the console:\n%s" % (out.strip(), run.console.strip())


def killed(t, got, run, monitor, absent, what, why):
    """gdb's kill said the inferior was killed, the program never printed absent, and
    monitor exited with status 255 (as for a fault); what is how the test says it."""
    t.expect(re.search(r"^\[Inferior 1 \(Remote target\) killed\]", got.get("kill", ""),
                       re.M), "expected gdb to say the inferior was killed; " + why)
    t.expect(absent not in run.console and
             re.search(r"^root: %s exited with status 255" % monitor, run.console, re.M),
             "expected %s and the %s with status 255; %s" % (what, monitor, why))


@check("debug-gdb-session", budget=BUDGET, parts=[
    Part("break main two monitors deep, continue, next x10", 3),
    Part("bt names add, sum and main; print an argument and a local", 3),
    Part("finish returns add's value; step enters add", 2),
    Part("set var changes the output", 2),
    Part("watch stops when the variable changes", 2)])
def debug_gdb_session(t):
    """Under nest and the debugger (stack=nest,debug), host gdb breaks at dbgprog's main,
    steps ten lines, stops in add and prints, finishes, steps into add, changes scale
    (the output shows it), and watches counter."""
    steps = [("break", "break main"), ("cont", "continue")]
    steps += [("next%d" % i, "next") for i in range(10)]
    steps += [("badd", "break add"), ("toadd", "continue"), ("bt", "bt"),
              ("arg", "print b"), ("next-in-add", "next"), ("next-in-add2", "next"),
              ("local", "print scaled"),
              ("finish", "finish"), ("delete", "delete")]
    steps += [("step%d" % i, "step") for i in range(4)]
    steps += [("setvar", "set var scale = 5"), ("watch", "watch counter"),
              ("wcont", "continue"), ("wdel", "delete"), ("end", "continue")]
    got, out, run = session(t, ["nest", "debug"], [], steps)
    why = shown(out, run)
    with t.part("break main two monitors deep, continue, next x10"):
        t.expect(re.search(r"^Breakpoint 1, main \(argc=1, argv=0x[0-9a-f]+\) at "
                           r"\S*dbgprog\.c:\d+", got.get("cont", ""), re.M),
                 "expected continue to stop at 'Breakpoint 1, main (argc=1, ...)'; " + why)
        for i in range(10):
            t.expect(re.match(r"^\d+\t", got.get("next%d" % i, "")),
                     "expected next #%d to print the next source line; %s" % (i + 1, why))
    with t.part("bt names add, sum and main; print an argument and a local"):
        t.expect(re.search(r"^Breakpoint 2, add \(a=\d+, b=\d+\)", got.get("toadd", ""), re.M),
                 "expected to stop at 'Breakpoint 2, add (a=N, b=N)'; " + why)
        b = re.search(r"b=(\d+)\)", got.get("toadd", ""))
        bt = got.get("bt", "")
        t.expect(re.search(r"^#0 +add \(", bt, re.M) and re.search(r"^#1 .*\bsum \(", bt, re.M)
                 and re.search(r"^#2 .*\bmain \(", bt, re.M),
                 "expected bt to show #0 add, #1 sum, #2 main; " + why)
        t.expect(b and re.match(r"^\$\d+ = %s$" % b.group(1), got.get("arg", ""), re.M),
                 "expected print b to show the argument add was stopped with; " + why)
        t.expect(b and re.search(r"^\$\d+ = %d$" % (3 * int(b.group(1))), got.get("local", ""),
                                 re.M),
                 "expected print scaled (b * scale, scale 3) after a next in add; " + why)
    with t.part("finish returns add's value; step enters add"):
        t.expect(re.search(r"^Value returned is \$\d+ = \d+$", got.get("finish", ""), re.M),
                 "expected finish to print 'Value returned is $N = ...'; " + why)
        t.expect(any(re.search(r"^add \(a=\d+, b=\d+\) at ", got.get("step%d" % i, ""), re.M)
                     for i in range(4)),
                 "expected one of four steps from sum to enter add; " + why)
    with t.part("set var changes the output"):
        line = re.search(r"^dbgprog: total=(\d+) scale=(\d+) counter=(\d+)\r?$", run.console,
                         re.M)
        t.expect(line and line.group(2) == "5" and line.group(1) != "60" and
                 line.group(3) == "20",
                 "expected dbgprog to print scale=5 and a total other than 60 (the one "
                 "with scale 3), counter=20; " + why)
    with t.part("watch stops when the variable changes"):
        t.expect(re.search(r"^Hardware watchpoint \d+: counter\s+Old value = (\d+)\s+"
                           r"New value = (\d+)", got.get("wcont", ""), re.M),
                 "expected continue to stop at the watchpoint with Old value / New value; "
                 + why)
        old_new = re.search(r"Old value = (\d+)\s+New value = (\d+)", got.get("wcont", ""))
        t.expect(old_new and int(old_new.group(2)) == int(old_new.group(1)) + 1,
                 "expected counter to have grown by one; " + why)
        t.expect("exited normally" in got.get("end", ""),
                 "expected the last continue to end with '[Inferior 1 (Remote target) exited "
                 "normally]'; " + why)


@check("debug-threads", budget=BUDGET, parts=[
    Part("info threads lists the three threads", 3), Part("each thread's frame", 2)])
def debug_threads(t):
    """dbgprog threads under the debugger: at all_started, info threads lists its main
    thread and both workers (found in the memory the debugger holds for it), and thread 2's
    backtrace is the worker's."""
    steps = [("break", "break all_started"), ("cont", "continue"), ("info", "info threads"),
             ("t2", "thread 2"), ("bt2", "bt 1"), ("end", "continue")]
    got, out, run = session(t, ["debug"], ["threads"], steps)
    why = shown(out, run)
    info = got.get("info", "")
    with t.part("info threads lists the three threads"):
        ids = re.findall(r"^\*? +(\d+) +Thread (\d+) ", info, re.M)
        t.expect(len(ids) == 3, "expected three threads in info threads; " + why)
        t.expect(re.search(r"^dbgprog: 3 threads done\r?$", run.console, re.M),
                 "expected the program to finish: 'dbgprog: 3 threads done'; " + why)
    with t.part("each thread's frame"):
        t.expect(re.search(r"^\* +1 +Thread 1 +all_started \(\)", info, re.M),
                 "expected thread 1 (current) in all_started; " + why)
        t.expect(len(re.findall(r"^ +[23] +Thread [23] +.*\bworker \(", info, re.M)) == 2,
                 "expected threads 2 and 3 in worker; " + why)
        t.expect(re.search(r"^#0 .*\bworker \(", got.get("bt2", ""), re.M),
                 "expected thread 2's bt to show worker; " + why)


@check("debug-fault", budget=BUDGET, parts=[
    Part("SIGSEGV at the faulting instruction", 3), Part("the address", 1),
    Part("passing the signal on ends the program", 1)])
def debug_fault(t):
    """dbgprog fault under nest and the debugger: its store to 0x40000010 is reported to
    gdb as SIGSEGV at that instruction in bad_store; the debugger names the address; gdb's
    continue passes the signal on, and the program dies of it."""
    path = program_path(t, "dbgprog")
    steps = [("cont", "continue"), ("pc", r'printf "pc=%#x\n", $pc'), ("insn", "x/i $pc"),
             ("end", "continue")]
    got, out, run = session(t, ["nest", "debug"], ["fault"], steps)
    why = shown(out, run)
    start = t.symbol("bad_store", kernel=path)
    with t.part("SIGSEGV at the faulting instruction"):
        t.expect(re.search(r"^Program received signal SIGSEGV, Segmentation fault\.\n"
                           r"(0x[0-9a-f]+ in )?bad_store \(p=0x40000010\)", got.get("cont", ""),
                           re.M),
                 "expected 'Program received signal SIGSEGV' in bad_store (p=0x40000010); "
                 + why)
        pc = re.search(r"^pc=(0x[0-9a-f]+)$", got.get("pc", ""), re.M)
        t.expect(pc and 0 <= int(pc.group(1), 16) - start < 32 and
                 re.search(r"<bad_store\+\d+>:\s+movl?\s+\$0x2a,", got.get("insn", "")) and
                 "page fault at eip 0x%08x," % int(pc.group(1), 16) in run.console,
                 "expected $pc at bad_store's store of 42 (bad_store is at %#x), where the debugger "
                 "saw the fault; %s" % (
                     start, why))
    with t.part("the address"):
        t.expect(re.search(r"^debug: dbgprog: thread 1: page fault at eip 0x[0-9a-f]+, "
                           r"address 0x40000010: SIGSEGV to GDB", run.console, re.M),
                 "expected the debugger to name the faulting address 0x40000010; " + why)
    with t.part("passing the signal on ends the program"):
        t.expect("Program terminated with signal SIGSEGV" in got.get("end", ""),
                 "expected continue to end the program with SIGSEGV; " + why)
        t.expect("survived" not in run.console, "the program ran on past its fault; " + why)


@check("debug-detach-over-nest", budget=BUDGET, parts=[
    Part("debugs nest, its child", 2), Part("after detach the stack runs on", 2)])
def debug_detach_over_nest(t):
    """stack=debug,nest: the debugger's child is a monitor.  Host gdb with nest's symbols
    stops in fluke_monitor_run, shows its backtrace to main, and detaches: nest starts
    dbgprog, which prints its normal output, and the run ends cleanly."""
    steps = [("break", "break fluke_monitor_run"), ("cont", "continue"), ("bt", "bt"),
             ("detach", "detach")]
    got, out, run = session(t, ["debug", "nest"], [], steps, symbols="nest")
    why = shown(out, run)
    with t.part("debugs nest, its child"):
        t.expect(re.search(r"^Breakpoint 1, fluke_monitor_run \(", got.get("cont", ""), re.M),
                 "expected to stop in nest's fluke_monitor_run; " + why)
        t.expect(re.search(r"^#1 .*\bmain \(", got.get("bt", ""), re.M),
                 "expected bt to reach nest's main; " + why)
    with t.part("after detach the stack runs on"):
        t.expect("Inferior 1 (Remote target) detached" in got.get("detach", ""),
                 "expected gdb to detach; " + why)
        t.expect(normal_end(run),
                 "expected dbgprog's normal output after the detach; " + why)
        t.expect(run.records.end_status() == 0, "expected a clean end (END status=0): "
                 + run.describe())


def pager_metric(run):
    """The pager's METRIC fields, {name: int}, or {} without one."""
    for text in run.records.texts("METRIC"):
        if text.startswith("pager "):
            return {k: int(v) for k, v in fields(text).items() if v.isdigit()}
    return {}


@check("debug-under-pager", budget=BUDGET, parts=[
    Part("faults the pager serves are not reported", 2),
    Part("a fault it cannot serve is SIGSEGV in GDB", 2)])
def debug_under_pager(t):
    """stack=pager,debug: the debugger's memory, and so its child's, is the pager's.
    dbgprog hog writes 64 fresh pages, each a fault the pager serves, which stays
    between the kernel and the pager: continue stops once, at the store through a bad
    pointer after them (no region there: the thread's exception), as SIGSEGV in
    bad_store; passing it on ends the program."""
    steps = [("cont", "continue"), ("hogged", r'printf "hogged=%u\n", hogged'),
             ("end", "continue")]
    got, out, run = session(t, ["pager", "debug"], ["hog"], steps)
    why = shown(out, run)
    metric = pager_metric(run)
    hogged = re.search(r"^hogged=(\d+)$", got.get("hogged", ""), re.M)
    with t.part("faults the pager serves are not reported"):
        t.expect(hogged and hogged.group(1) == "64",
                 "expected the first stop after all 64 pages written (each a fault the pager "
                 "served), hogged says %s; %s" % (hogged.group(1) if hogged else "nothing",
                                                 why))
        t.expect(metric.get("zero", 0) >= 64,
                 "expected the pager to have zero-filled at least the 64 pages dbgprog "
                 "wrote; its METRIC: %s; %s" % (metric, why))
    with t.part("a fault it cannot serve is SIGSEGV in GDB"):
        t.expect(re.search(r"^Program received signal SIGSEGV, Segmentation fault\.\n"
                           r"(0x[0-9a-f]+ in )?bad_store \(p=0x40000010\)", got.get("cont", ""),
                           re.M),
                 "expected 'Program received signal SIGSEGV' in bad_store (p=0x40000010); "
                 + why)
        t.expect("Program terminated with signal SIGSEGV" in got.get("end", ""),
                 "expected continue to end the program with SIGSEGV; " + why)


REFUSED_FRAMES, REFUSED_PAGES = 128, 160


@check("debug-pager-refused", budget=BUDGET, parts=[
    Part("a write the pager refuses is SIGSEGV at the store, with its address", 2),
    Part("kill ends the program", 1)])
def debug_pager_refused(t):
    """stack=pager:frames=128+swap=0,debug: dbgprog hog 160 takes 160 pages in two GETs
    (each passes while the first half is untouched) and writes them: past the pager's
    frame limit it refuses a write, the fault becomes the thread's exception, and
    continue stops with SIGSEGV at hog_store's store, the debugger naming the page's
    address; kill then ends the program, and the debugger and the pager with it."""
    path = program_path(t, "dbgprog")
    steps = [("cont", "continue"), ("hogged", r'printf "hogged=%u\n", hogged'),
             ("page", r'printf "page=%#x\n", page'), ("pc", r'printf "pc=%#x\n", $pc'),
             ("insn", "x/i $pc"), ("kill", "kill")]
    got, out, run = session(t, ["pager:frames=%d+swap=0" % REFUSED_FRAMES, "debug"],
                            ["hog", str(REFUSED_PAGES)], steps)
    why = shown(out, run)
    metric = pager_metric(run)
    start = t.symbol("hog_store", kernel=path)
    with t.part("a write the pager refuses is SIGSEGV at the store, with its address"):
        t.expect(re.search(r"^Program received signal SIGSEGV, Segmentation fault\.\n"
                           r"(0x[0-9a-f]+ in )?hog_store \(page=0x[0-9a-f]+", got.get("cont", ""),
                           re.M),
                 "expected 'Program received signal SIGSEGV' in hog_store (page=...); " + why)
        hogged = re.search(r"^hogged=(\d+)$", got.get("hogged", ""), re.M)
        t.expect(hogged and 0 < int(hogged.group(1)) < REFUSED_PAGES,
                 "expected the stop part way through the %d pages (past the pager's %d "
                 "frames), hogged says %s; %s" % (REFUSED_PAGES, REFUSED_FRAMES,
                                                 hogged.group(1) if hogged else "nothing", why))
        t.expect(metric.get("refused", 0) >= 1 and metric.get("zero", 0) <= REFUSED_FRAMES,
                 "expected the pager to refuse the write (refused=N) and to have filled no "
                 "more than its %d frames; its METRIC: %s; %s" % (REFUSED_FRAMES, metric, why))
        pc = re.search(r"^pc=(0x[0-9a-f]+)$", got.get("pc", ""), re.M)
        page = re.search(r"^page=(0x[0-9a-f]+)$", got.get("page", ""), re.M)
        t.expect(pc and page and 0 <= int(pc.group(1), 16) - start < 32 and
                 re.search(r"<hog_store\+\d+>:\s+movb\s+\$0x1,", got.get("insn", "")) and
                 re.search(r"^debug: dbgprog: thread 1: page fault at eip 0x%08x, address "
                           r"0x%08x: SIGSEGV to GDB" % (int(pc.group(1), 16),
                                                        int(page.group(1), 16)),
                           run.console, re.M),
                 "expected $pc at hog_store's store of 1 (hog_store is at %#x) and the "
                 "debugger to name that eip and the page it wrote; %s" % (start, why))
    with t.part("kill ends the program"):
        killed(t, got, run, "pager", "survived", "dbgprog to end there", why)


@check("debug-under-pm", budget=BUDGET, parts=[
    Part("attaches to the one process it runs", 2), Part("the process ends; pm ends", 1)])
def debug_under_pm(t):
    """stack=pm,debug: the debugger is a process of the process manager (its COM2 comes
    down through pm) and debugs the one process it starts: gdb breaks at add, shows its
    backtrace to main and the process's argument, and the process then runs to its
    normal output while pm serves it; pm ends with it."""
    steps = [("break", "break add"), ("cont", "continue"), ("bt", "bt"),
             ("delete", "delete"), ("end", "continue")]
    got, out, run = session(t, ["pm", "debug"], [], steps)
    why = shown(out, run)
    with t.part("attaches to the one process it runs"):
        t.expect(re.search(r"^Breakpoint 1, add \(a=0, b=1\)", got.get("cont", ""), re.M),
                 "expected to stop at 'Breakpoint 1, add (a=0, b=1)'; " + why)
        t.expect(re.search(r"^#2 .*\bmain \(argc=1, ", got.get("bt", ""), re.M),
                 "expected bt to reach main (argc=1, ...); " + why)
    with t.part("the process ends; pm ends"):
        t.expect("exited normally" in got.get("end", ""),
                 "expected the program to exit normally; " + why)
        t.expect(normal_end(run)
                 and run.records.end_status() == 0,
                 "expected dbgprog's normal output and a clean end (END status=0); " + why)


def _send_raw(sock, data):
    sock.sendall(data if isinstance(data, bytes) else data.encode("latin-1"))


def _frame(payload):
    return "$%s#%s" % (payload, checksum(payload))


def _async_cont(gdb, payload="c"):
    """Send payload (a resume) and take its ack, not waiting for the stop reply."""
    gdb.sock.sendall(_frame(payload).encode("latin-1"))
    while gdb._byte() not in "+-":
        pass


@check("debug-crosscheck", gdb=True, budget=BUDGET, parts=[
    Part("registers equal QEMU's", 4), Part("memory equals QEMU's", 2),
    Part("the breakpoint is hidden, and gone after detach", 2)])
def debug_crosscheck(t):
    """At one stop of dbgprog at add, the registers and stack the debugger reports equal
    what QEMU's gdb stub reads of the same thread: QEMU's hardware breakpoint at add
    stops the CPU in dbgprog's space just before the debugger's int3 there runs (the only
    space whose byte at add is 0xcc), then the int3 stops the thread for the debugger."""
    path = program_path(t, "dbgprog")
    add = t.symbol("add", kernel=path)
    m = t.machine(Boot(monitors=["root", "debug"], program="dbgprog"), gdb=True, com2=True)
    q = RemoteGDB(m.path("gdb"), timeout=60)
    _async_cont(q)
    wait_ready(t, m)
    d = RemoteGDB(m.path("com2"), timeout=60)   # the guest answers while QEMU runs
    d.command("qSupported")
    original = d.read(add, 1)
    d.set_break(add)
    hidden = d.read(add, 1)
    q.sock.sendall(b"\x03")                 # stop QEMU: set its breakpoint
    q._receive()
    q.command("Z1,%x,1" % add)
    _send_raw(d.sock, _frame("c"))          # the child runs once QEMU does (its ack
                                            # comes then, and d._receive skips it)
    regs_q = mem_q = None
    for _ in range(200):
        q.cont()
        here = q.registers()
        if here["eip"] == add and q.read(add, 1) == b"\xcc":
            regs_q, mem_q = here, q.read(here["esp"], 64)
            break
        q.command("z1,%x,1" % add)          # another space at that address: on
        q.step()
        q.command("Z1,%x,1" % add)
    t.expect(regs_q, "QEMU never stopped at add (%#x) in dbgprog's space" % add)
    q.command("z1,%x,1" % add)
    _async_cont(q)
    stop = d._receive()
    regs_d = d.registers()
    mem_d = d.read(regs_d["esp"], 64)
    with t.part("registers equal QEMU's"):
        t.expect(stop.startswith("T05"), "the debugger's stop reply was %r, not T05" % stop)
        names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip"]
        differ = ["%s: debugger %#x, QEMU %#x" % (n, regs_d[n], regs_q[n])
                  for n in names if regs_d[n] != regs_q[n]]
        t.expect(not differ, "registers differ at add: " + "; ".join(differ))
        t.expect((regs_d["eflags"] ^ regs_q["eflags"]) & 0x8d5 == 0,
                 "eflags' arithmetic flags differ: debugger %#x, QEMU %#x" % (
                     regs_d["eflags"], regs_q["eflags"]))
    with t.part("memory equals QEMU's"):
        t.expect(mem_d == mem_q, "the 64 bytes at esp differ:\n debugger %s\n QEMU     %s" % (
            mem_d.hex(), mem_q.hex()))
    d.clear_break(add)
    after = d.read(add, 1)
    d.command("D")
    d.close()
    run = m.wait()
    q.close()
    with t.part("the breakpoint is hidden, and gone after detach"):
        t.expect(hidden == original and after == original,
                 "reading add's first byte gave %s before the breakpoint, %s with it, %s after "
                 "it (the int3 must never show)" % (original.hex(), hidden.hex(), after.hex()))
        t.expect(normal_end(run),
                 "expected dbgprog's normal output after the detach; the console:\n"
                 + run.console)


class RawLine:
    """The debugger's line as raw bytes: what it answers to what a broken GDB sends."""

    def __init__(self, m):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30 if m.emulator == "qemu" else m.wall)  # Bochs paces the line
        self.sock.connect(m.path("com2"))
        self.buf = b""

    def send(self, data):
        _send_raw(self.sock, data)

    def byte(self):
        if not self.buf:
            self.buf = self.sock.recv(4096)
            if not self.buf:
                raise Failure("the debugger's line closed")
        c, self.buf = self.buf[:1], self.buf[1:]
        return c

    def ack(self):
        """The next ack ('+' or '-'), skipping nothing else."""
        c = self.byte()
        if c not in b"+-":
            raise Failure("expected an ack, got %r" % c)
        return c.decode()

    def packet(self):
        """The next packet's payload (acked)."""
        while self.byte() != b"$":
            pass
        body = b""
        c = self.byte()
        while c != b"#":
            body += c
            c = self.byte()
        cs = self.byte() + self.byte()
        if cs.decode() != checksum(body.decode("latin-1")):
            raise Failure("the debugger sent a bad checksum: %r" % body)
        self.send(b"+")
        return body.decode("latin-1")

    def ask(self, payload):
        self.send(_frame(payload))
        ack = self.ack()
        return ack, self.packet() if ack == "+" else None

    def close(self):
        self.sock.close()


@check("debug-protocol", budget=BUDGET, parts=[
    Part("a checksum error is nacked and the retransmission answered", 2),
    Part("oversized and truncated packets", 2),
    Part("malformed requests and bad addresses get errors", 2),
    Part("a GDB that disconnects mid-packet; the next one is served", 2)])
def debug_protocol(t):
    """The debugger keeps serving whatever arrives: a bad checksum gets '-' and the resent
    packet its answer; an oversized packet E01; a packet cut short by a new '$' is dropped;
    malformed m/M/X/G/Z/H packets and breakpoints or reads at addresses with no memory get
    errors; unknown packets the empty reply; after a client disconnects mid-packet, a new
    one is served, and the program then runs to its normal end."""
    path = program_path(t, "dbgprog")
    add = t.symbol("add", kernel=path)
    m = t.machine(Boot(monitors=["root", "debug"], program="dbgprog"), com2=True)
    wait_ready(t, m)
    line = RawLine(m)
    with t.part("a checksum error is nacked and the retransmission answered"):
        line.send("$?#00")
        t.expect(line.ack() == "-", "a packet with a bad checksum was not nacked")
        ack, reply = line.ask("?")
        t.expect(ack == "+" and reply.startswith("T05"),
                 "the resent ? got %r, not a T05 stop reply" % reply)
    with t.part("oversized and truncated packets"):
        ack, reply = line.ask("m" + "1" * 6000)
        t.expect(reply == "E01", "a 6000-byte packet got %r, not E01" % reply)
        line.send("$m10")                    # cut short: the sender gave up
        ack, reply = line.ask("g")
        t.expect(ack == "+" and len(reply) == 128 and re.match(r"^[0-9a-f]+$", reply),
                 "after a truncated packet, g got %r, not 16 registers" % reply)
    with t.part("malformed requests and bad addresses get errors"):
        bad = [("mzz,4", "E01"), ("m1000000", "E01"), ("m40000000,4", "E0e"),
               ("M1000000,4:zz", "E01"), ("M1000000,2:001122", "E01"),
               ("X1000000,4:ab", "E01"), ("Z0,40000000,1", "E0e"), ("Z0,zz", "E01"),
               ("z0,%x,1" % add, "E0e"), ("G12", "E01"), ("P99=00000000", "E01"),
               ("Hgffff", "E02"), ("Hq1", "E01"), ("p1234567890", "E01"),
               ("vCont;q", "E01"), ("qNoSuchThing", ""), ("qXfer:features:read:x.xml:0,10",
                                                         "E00")]
        for payload, want in bad:
            ack, reply = line.ask(payload)
            t.expect(reply == want, "%r got %r, not %r" % (payload, reply, want))
        ack, text = line.ask("m%x,1" % add)
        t.expect(ack == "+" and re.match(r"^[0-9a-f]{2}$", text),
                 "after the errors, m got %r" % text)
    with t.part("a GDB that disconnects mid-packet; the next one is served"):
        line.send("$m%x,4#" % add)           # no checksum yet: gone
        line.close()
        time.sleep(0.5)
        line = RawLine(m)
        ack, reply = line.ask("qSupported:multiprocess+")
        t.expect(ack == "+" and "PacketSize" in reply,
                 "a new client's qSupported got %r" % reply)
        ack, reply = line.ask("?")
        t.expect(reply.startswith("T05"), "? got %r" % reply)
        ack, reply = line.ask("c")
        t.expect(reply == "W00", "continue got %r, not W00 (exited with 0)" % reply)
    line.close()
    run = m.wait()
    t.expect(normal_end(run),
             "expected dbgprog's normal output; the console:\n" + run.console)


# What protocheck checks (grade/lab0_monitors.py, proto-resend-*): requests sent again.
PROTO_TESTS = ("console-write-resend", "console-write-stopped", "mempool-get-resend",
               "mempool-put-resend", "mempool-get-stopped", "mempool-put-stopped", "fs-stopped")


@check("debug-proto-resend", budget=BUDGET, parts=[
    Part("requests sent again take effect once", 2)])
def debug_proto_resend(t):
    """protocheck under the debugger, which serves its MemPool from its own pages and
    forwards the rest: a Console WRITE, a MemPool GET and PUT and FileSystem requests
    sent again (a thread stopped and resumed in its call) take effect once and get the
    same answers; a GET sent again gets the region the first got, not a second one."""
    m = t.machine(Boot(monitors=["root", "debug"], program="protocheck"), com2=True)
    wait_ready(t, m)
    line = RawLine(m)
    line.ask("qSupported")
    ack, reply = line.ask("c")
    line.close()
    run = m.wait()
    with t.part("requests sent again take effect once"):
        t.expect(reply == "W00", "continue got %r, not W00 (exited with 0)" % reply)
        for name in PROTO_TESTS:
            result, why = run.records.program(name)
            t.expect(result == "pass", "expected PASS %s, got %s %s; the console:\n%s" % (
                name, result or "nothing", why, run.console))
        t.expect(re.search(r"^protocheck: 0 failure\(s\)\r?$", run.console, re.M),
                 "expected 'protocheck: 0 failure(s)'; the console:\n" + run.console)


@check("debug-interrupt", budget=BUDGET, parts=[
    Part("^C stops the running program", 2), Part("M changes it, and it runs on", 1)])
def debug_interrupt(t):
    """dbgprog spin runs until stopped: ^C (0x03) on the line stops it with T02 in main;
    an M clearing its variable spinning and a continue let it finish (W00)."""
    path = program_path(t, "dbgprog")
    spinning = t.symbol("spinning", kernel=path)
    m = t.machine(Boot(monitors=["root", "nest", "debug"], program="dbgprog", args=["spin"]),
                  com2=True)
    wait_ready(t, m)
    line = RawLine(m)
    line.ask("qSupported")
    line.send(_frame("c"))
    t.expect(line.ack() == "+", "continue was not acked")
    time.sleep(0.5)
    line.send(b"\x03")
    with t.part("^C stops the running program"):
        stop = line.packet()
        t.expect(stop.startswith("T02"), "^C got %r, not a T02 stop reply" % stop)
        ack, regs = line.ask("g")
        eip = struct.unpack("<I", bytes.fromhex(regs[64:72]))[0] if len(regs) >= 72 else 0
        main = t.symbol("main", kernel=path)
        t.expect(main <= eip < main + 0x400, "stopped at eip %#x, not in main (%#x)" % (
            eip, main))
    with t.part("M changes it, and it runs on"):
        ack, reply = line.ask("M%x,4:00000000" % spinning)
        t.expect(reply == "OK", "M got %r" % reply)
        ack, reply = line.ask("c")
        t.expect(reply == "W00", "continue got %r, not W00" % reply)
        line.close()
        run = m.wait()
        t.expect(re.search(r"^dbgprog: stopped spinning\r?$", run.console, re.M),
                 "expected 'dbgprog: stopped spinning'; the console:\n" + run.console)


@check("debug-kill", budget=BUDGET, parts=[Part("kill ends the program", 2)])
def debug_kill(t):
    """gdb's kill at add ends dbgprog there: it never prints, and the debugger exits with
    its status (255, as for a fault)."""
    steps = [("break", "break add"), ("cont", "continue"), ("kill", "kill")]
    got, out, run = session(t, ["debug"], [], steps)
    why = shown(out, run)
    with t.part("kill ends the program"):
        killed(t, got, run, "debug", "dbgprog: total", "dbgprog to end silently", why)


# Without a second serial port (a machine started without one) the debugger says so and
# ends; its program never starts.  Given code: it must pass, and scores nothing.
test("debug-no-com2", points=0, budget=400000000,
     boot=Boot(monitors=["root", "debug"], program="dbgprog"),
     expect=[Console(r"^debug: cannot have COM2 \(ports 0x2f8-0x2ff\) for GDB \(error \d+\)"),
             Console(r"^root: debug exited with status 1"), End(3)])

