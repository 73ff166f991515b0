"""Lab 0: the platform.

Booting (from the disk image under QEMU and Bochs, and as a Multiboot kernel), the kernel's
panic report, debugging the kernel with gdb, and the environment doctor.  Each test boots its
own machine, whose records count only with that run's nonce; budgets are guest instructions
(handouts/grading.md).
"""
import os
import re
import socket
import subprocess
import time

from gradelib import Boot, Console, End, Failure, Part, Record, check, test
from gradelib import stop
from gradelib.serial import serial_machine

LAB = 0
TITLE = "The platform"

# ktest=ticks: the kernel waits, interrupts enabled, for three timer ticks (10 ms each),
# then shuts down; the debugger tests break on the timer interrupt while it waits.
TICKING = Boot(ktest="ticks")

# What a clean boot shows, whichever emulator or loader.
BOOTED = [
    Console(r"^Fluke kernel"),              # the kernel's banner on the serial console
    Console(r"hello from user space"),      # the first user program, hello, ran
    Record("BOOT", r"version="),            # the kernel's first record
    End(0),                                 # END status=0, and the emulator exited as asked
]

# init=hello: the kernel starts hello itself (with no init= it starts the root monitor,
# whose default configuration is the interactive shell: grade/lab0_monitors.py).
HELLO = Boot(program="hello")

test("boot-qemu", points=10, emulator="qemu", expect=BOOTED, boot=HELLO)

test("boot-multiboot", points=5, emulator="qemu", expect=BOOTED,
     boot=Boot(program="hello", multiboot=True))   # qemu -kernel obj/kern/kernel -initrd ...

# Its own budget: `make grade-budgets` measures under QEMU only (its 50M is boot-qemu's need
# with room to spare; under Bochs it is 4 times that plus the BIOS, handouts/grading.md §4).
test("boot-bochs", points=5, budget=50000000, emulator="bochs", expect=BOOTED, boot=HELLO)

# ktest=fault: the kernel reads address 0x10 inside ktest_fault and must panic with a report.
test("kernel-fault", boot=Boot(ktest="fault"),
     expect=[Record("PANIC", r"Page Fault"), End(1)],
     parts=[
         Part("the report names the trap", 4, [Console(r"panic.*Page Fault")]),
         Part("the report shows the registers", 2,
              [Console(r"\beip\s+0x[0-9a-f]{8}"), Console(r"\besp\s+0x[0-9a-f]{8}")]),
         Part("a backtrace frame names ktest_fault", 4,
              [Console(r"^\s+#\d+\s.*\bktest_fault\b")]),
         Part("the backtrace reaches kmain", 2, [Console(r"^\s+#\d+\s.*\bkmain\b")]),
     ])


# The gdb tests have budgets of their own, not measured ones: what a guest uses under gdb
# grows with how long gdb holds it at its stops (gdb-ubreak used 5M counts after the boot
# in one run, over 80M in another on a loaded host).
GDB_BUDGET = 1000000000


@check("gdb-batch", gdb=True, budget=GDB_BUDGET, after="boot-qemu", boot=TICKING, parts=[
    Part("stops at timer_intr", 4), Part("prints timer_ticks", 3),
    Part("prints boot_cmdline", 3)])
def gdb_batch(t):
    """Host gdb, in batch mode, stops at timer_intr and prints kernel variables."""
    m = t.machine(gdb=True)
    out = m.gdb_batch(["break *timer_intr", "continue", r'printf "eip=%#x\n", $eip',
                       "print timer_ticks", "print boot_cmdline"])
    t.expect("Remote connection closed" not in out,
             "the machine ended before timer_intr was called: " + m.wait().describe())
    with t.part("stops at timer_intr"):
        eip = re.search(r"^eip=(0x[0-9a-f]+)$", out, re.M)
        t.expect(eip and int(eip.group(1), 16) == t.symbol("timer_intr"),
                 "expected eip = timer_intr (%#x); gdb printed:\n%s" % (
                     t.symbol("timer_intr"), out.strip()))
    with t.part("prints timer_ticks"):
        t.expect(re.search(r"^\$\d+ = \d+$", out, re.M),
                 "expected '$N = <number>' for timer_ticks; gdb printed:\n" + out.strip())
    with t.part("prints boot_cmdline"):
        t.expect("nonce=" + t.nonce in out,
                 "expected boot_cmdline to hold nonce=%s; gdb printed:\n%s" % (
                     t.nonce, out.strip()))


@check("gdb-remote", gdb=True, budget=GDB_BUDGET, after="boot-qemu", boot=TICKING, parts=[
    Part("breaks on timer_intr", 4), Part("reads boot_cmdline", 3),
    Part("timer_ticks counts timer interrupts", 3)])
def gdb_remote(t):
    """The grader's own gdb-protocol client breaks on timer_intr and reads registers and
    memory: the command line, and the tick count at two successive timer interrupts."""
    intr = t.symbol("timer_intr")
    g = t.machine(gdb=True).rsp()
    g.set_break(intr)
    g.cont()
    with t.part("breaks on timer_intr"):
        eip = g.registers()["eip"]
        t.expect(eip == intr, "stopped at eip=%#x, not at timer_intr (%#x)" % (eip, intr))
    with t.part("reads boot_cmdline"):
        cmdline = g.read_string(t.symbol("boot_cmdline"))
        t.expect("nonce=" + t.nonce in cmdline.split(),
                 "boot_cmdline is %r; expected it to hold nonce=%s" % (cmdline, t.nonce))
    with t.part("timer_ticks counts timer interrupts"):
        first = g.read_u64(t.symbol("timer_ticks"))
        g.clear_break(intr)             # step off the breakpoint, then put it back
        g.step()
        g.set_break(intr)
        g.cont()
        second = g.read_u64(t.symbol("timer_ticks"))
        t.expect(second == first + 1, "timer_ticks went from %d to %d between two calls of "
                 "timer_intr; expected one more" % (first, second))
    g.close()


def render_gdbinit(t, m):
    """The .gdbinit make renders from .gdbinit.tmpl, for machine m's gdb stub; its path."""
    objdir = os.path.dirname(os.path.dirname(t.config.kernel))     # obj/kern/kernel
    status, text = t.sh(["make", "--no-print-directory", "-s", "print-gdbinit",
                         "OBJDIR=" + objdir, "GDBREMOTE=" + m.path("gdb")])
    t.expect(status == 0 and "target remote" in text,
             "make print-gdbinit failed (status %d):\n%s" % (status, text.strip()))
    gdbinit = os.path.join(t.workdir, "gdbinit")
    with open(gdbinit, "w") as f:
        f.write(text)
    return gdbinit


@check("gdb-gdbinit", gdb=True, budget=GDB_BUDGET, after="boot-qemu", boot=HELLO, parts=[
    Part("connects through .gdbinit", 3), Part("kernel symbols and backtrace", 4),
    Part("usersym hello and usersym nest", 3)])
def gdb_gdbinit(t):
    """The documented workflow (`make gdb`): the .gdbinit make renders from .gdbinit.tmpl,
    here for this machine's gdb stub, run by host gdb as `gdb -n -x .gdbinit`, connects,
    has the kernel's symbols (a breakpoint on record_init, a backtrace through kmain), and
    its usersym loads a program's and a monitor's symbols (break main stops in hello)."""
    m = t.machine(gdb=True)
    objdir = os.path.dirname(os.path.dirname(t.config.kernel))     # obj/kern/kernel
    gdbinit = render_gdbinit(t, m)
    commands = [r'printf "connected eip=%#x\n", $eip',
                "break record_init", "continue", "bt",
                "usersym hello", "break main", "continue", "bt 1",
                "usersym nest", "info functions ^main$",
                "usersym nosuch"]
    argv = [t.config.gdb, "-n", "-batch", "-x", gdbinit]
    for c in commands:
        argv += ["-ex", c]
    status, out = t.sh(argv, timeout=60)
    shown = "gdb -n -batch -x %s (rendered .gdbinit.tmpl) printed:\n%s" % (gdbinit, out.strip())
    with t.part("connects through .gdbinit"):
        t.expect("+ target remote " + m.path("gdb") in out,
                 ".gdbinit did not get to 'target remote'; " + shown)
        t.expect(re.search(r"^connected eip=0x[0-9a-f]+$", out, re.M),
                 "gdb has no registers after .gdbinit: it did not connect; " + shown)
    with t.part("kernel symbols and backtrace"):
        t.expect(re.search(r"^Breakpoint 1, (0x[0-9a-f]+ in )?record_init \(", out, re.M),
                 "expected 'Breakpoint 1, record_init (...)': the kernel's symbols (from "
                 ".gdbinit's symbol-file) did not take; " + shown)
        t.expect(re.search(r"^#1\s+0x[0-9a-f]+ in kmain \(.*\) at \S*kern/init/main\.c:\d+$",
                           out, re.M),
                 "expected a backtrace frame '#1 ... in kmain (...) at kern/init/main.c:N'; "
                 + shown)
    with t.part("usersym hello and usersym nest"):
        for name, path in (("hello", "user/hello/hello"), ("nest", "monitors/nest/nest")):
            t.expect(re.search(r'add symbol table from file "[^"]*%s"' % re.escape(path), out),
                     "usersym %s did not load %s/%s; %s" % (name, objdir, path, shown))
        t.expect(re.search(r"^Breakpoint 2, main \(.*\) at \S*user/bin/hello/\S+\.c:\d+$",
                           out, re.M),
                 "after usersym hello, break main did not stop in hello's main; " + shown)
        t.expect(re.search(r"^File \S*monitors/nest/\S+\.c:$", out, re.M),
                 "after usersym nest, gdb knows no main in monitors/nest; " + shown)
        t.expect(re.search(r"usersym: the programs are: .*\bhello\b", out) and
                 re.search(r"usersym: the monitors are: .*\bnest\b", out),
                 "usersym nosuch did not list the programs and monitors; " + shown)


# The root monitor runs the shell, and the grader types "hello NONCE" at its prompt: every
# program is linked at the same addresses, so hello's main is an address that sh and the
# root monitor also execute, in their own spaces, before hello ever runs.
SHELL = Boot(monitors=["root"], program="sh")
MARK = "@@ "      # gdb echoes MARK + a name before each command's output


def gdb_sections(out):
    """{name: output} of a gdb run whose commands were each preceded by `echo MARK name`
    (each name once)."""
    parts = re.split(r"^" + re.escape(MARK) + r"(\S+)\n", out, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def type_at_prompt(m, gdb, line, timeout=60):
    """Type line at sh's first prompt, unless gdb (which decides when the machine runs)
    ends first; whether it was typed."""
    deadline = time.monotonic() + timeout
    while gdb.poll() is None and m.proc.poll() is None and time.monotonic() < deadline:
        try:
            m.wait_for(r"^\$ ", timeout=0.5)
        except Failure:
            continue
        m.type(line)
        return True
    return False


@check("gdb-ubreak", gdb=True, budget=4 * GDB_BUDGET, after="gdb-gdbinit", boot=SHELL, parts=[
    Part("plain break main stops in another program, and says so", 2),
    Part("ubreak hello main stops only in hello", 5),
    Part("fluke-threads, fluke-spaces, fluke-tree and fluke-ports", 3)])
def gdb_ubreak(t):
    """`ubreak hello main` through the rendered .gdbinit stops only in hello's space, though
    sh and the root monitor run that address first (a plain `break main` stops there, with a
    warning that GDB shows hello's symbols for sh's code): whereami names hello, argc and argv are
    what the grader typed, and the listing commands show hello's thread, its space under the
    root monitor's, and the root monitor's port set with its waiting servers."""
    m = serial_machine(t, gdb=True)
    gdbinit = render_gdbinit(t, m)
    steps = [("usersym", "usersym hello"), ("break", "break main"), ("plain", "continue"),
             ("plain-where", "whereami"), ("delete", "delete"),
             ("set-ubreak", "ubreak hello main"), ("ubreak", "continue"),
             ("where", "whereami"), ("argc", "print argc"), ("argv0", "print argv[0]"),
             ("argv1", "print argv[1]"), ("list", "ubreak"), ("threads", "fluke-threads"),
             ("spaces", "fluke-spaces"), ("tree", "fluke-tree"), ("ports", "fluke-ports"),
             ("help", "help whereami"), ("end", "kill")]
    argv = [t.config.gdb, "-n", "-batch", "-x", gdbinit]
    for name, command in steps:
        argv += ["-ex", "echo %s%s\\n" % (MARK, name), "-ex", command]
    log = os.path.join(t.workdir, "gdb-ubreak.txt")
    with open(log, "w+") as f:
        gdb = subprocess.Popen(argv, cwd=t.config.root, stdin=subprocess.DEVNULL, stdout=f,
                               stderr=subprocess.STDOUT)
        stop.track(gdb)         # killed with the emulators if the grader stops
        try:
            typed = type_at_prompt(m, gdb, "hello %s\r" % t.nonce)
            gdb.wait(timeout=90)
        except subprocess.TimeoutExpired:
            raise Failure("gdb did not finish within 90 s; it printed:\n" + open(log).read())
        finally:
            if gdb.poll() is None:
                gdb.kill()
            gdb.wait()
            stop.forget(gdb)
        f.seek(0)
        out = f.read()
    shown = "%sgdb -n -batch -x %s printed (also in %s):\n%s" % (
        "" if typed else "(sh's prompt never came, so hello never ran) ", gdbinit, log,
        out.strip())
    got = gdb_sections(out)
    with t.part("plain break main stops in another program, and says so"):
        where = re.search(r"^program (\S+), space", got.get("plain-where", ""), re.M)
        t.expect(where and where.group(1) != "hello",
                 "expected the plain `break main` to stop first in a program other than "
                 "hello (whereami: program sh or root), so that the ubreak test means "
                 "something; " + shown)
        t.expect(re.search(r"^fluke: careful: this stop is in %s's space \(0x[0-9a-f]+\), but "
                           r"GDB shows hello's symbols" % re.escape(where.group(1)),
                           got.get("plain", ""), re.M),
                 "expected the stop in %s to warn that GDB shows hello's symbols there; %s"
                 % (where.group(1), shown))
    with t.part("ubreak hello main stops only in hello"):
        t.expect("fluke: careful" not in got.get("ubreak", ""),
                 "the ubreak stop in hello warned of another program's symbols; " + shown)
        t.expect(re.search(r"^Breakpoint \d+, main \(argc=2, argv=0x[0-9a-f]+\) at "
                           r"\S*user/bin/hello/hello\.c:\d+$", got.get("ubreak", ""), re.M),
                 "expected `continue` after ubreak hello main to stop at 'Breakpoint N, main "
                 "(argc=2, ...) at user/bin/hello/hello.c'; " + shown)
        t.expect(re.search(r"^ubreak \d+: in hello \(space 0x[0-9a-f]+, thread 0x[0-9a-f]+\); "
                           r"went on from \d+ stops? elsewhere \(.*\b(sh|root) \d+",
                           got.get("ubreak", ""), re.M),
                 "expected ubreak to report the stops it went on from in sh or root; " + shown)
        t.expect(re.search(r"^program hello, space 0x[0-9a-f]+ \(page directory 0x[0-9a-f]+; "
                           r"\$cr3 agrees\)", got.get("where", ""), re.M),
                 "expected whereami at the ubreak stop to say 'program hello, space ... "
                 "($cr3 agrees)'; " + shown)
        t.expect(re.search(r"^\$\d+ = 2$", got.get("argc", ""), re.M) and
                 re.search(r'^\$\d+ = 0x[0-9a-f]+ "hello"$', got.get("argv0", ""), re.M) and
                 re.search(r'^\$\d+ = 0x[0-9a-f]+ "%s"$' % t.nonce, got.get("argv1", ""), re.M),
                 "expected argc 2, argv[0] \"hello\" and argv[1] \"%s\" (typed at sh's "
                 "prompt); %s" % (t.nonce, shown))
    with t.part("fluke-threads, fluke-spaces, fluke-tree and fluke-ports"):
        thread = re.search(r"thread (0x[0-9a-f]+) \(", got.get("where", ""))
        space = re.search(r"^program hello, space (0x[0-9a-f]+)", got.get("where", ""), re.M)
        t.expect(thread and space, "whereami named no thread and space; " + shown)
        t.expect(re.search(r"^\* %s hello +running +\d+ %s 0x01[0-9a-f]{6} " % (
            thread.group(1), space.group(1)), got.get("threads", ""), re.M),
                 "expected fluke-threads to list '* %s hello running ... %s <user eip>' "
                 "(the current thread, in hello's space); %s" % (
                     thread.group(1), space.group(1), shown))
        t.expect(re.search(r"^  0x[0-9a-f]+ root +blocked +\d+ 0x[0-9a-f]+ 0x[0-9a-f]+ a client "
                           r"\(WAIT_RECEIVE\), at pset 0x[0-9a-f]+ of root$",
                           got.get("threads", ""), re.M),
                 "expected fluke-threads to show a root monitor thread blocked waiting for "
                 "a client at its port set; " + shown)
        t.expect(re.search(r"^0x[0-9a-f]+ +\S+ +sh +1 ", got.get("spaces", ""), re.M) and
                 re.search(r"^%s +\S+ +hello +1 .*\broot 0x" % space.group(1),
                           got.get("spaces", ""), re.M),
                 "expected fluke-spaces to list sh's space and hello's (%s, one thread, "
                 "created by root); %s" % (space.group(1), shown))
        t.expect(re.search(r"^root  space .*\n(  .*\n)*  hello  space %s, 1 thread: \*%s" % (
            space.group(1), thread.group(1)), got.get("tree", ""), re.M),
                 "expected fluke-tree to show hello's space under the root monitor's, with "
                 "its current thread starred; " + shown)
        t.expect(re.search(r"^pset 0x[0-9a-f]+ of root: servers waiting: 0x[0-9a-f]+ \(root\)",
                           got.get("ports", ""), re.M) and
                 re.search(r"^  port 0x[0-9a-f]+ of root, alias 0x[0-9a-f]+: ",
                           got.get("ports", ""), re.M),
                 "expected fluke-ports to list the root monitor's port set, its waiting "
                 "server threads and its ports; " + shown)
        t.expect("Which program, space and thread" in got.get("help", ""),
                 "expected `help whereami` to describe the command; " + shown)


def free_port():
    """A TCP port nobody listens on now, for a nested make grade-debug."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@check("grade-debug-gdbinit", points=2, gdb=True, boots=False, after="gdb-ubreak")
def grade_debug_gdbinit(t):
    """`make grade-debug TEST=boot-qemu` starts gdb through .gdbinit: the commands typed into
    it (ubreak hello main, continue, whereami) exist and stop in hello.  It runs on a free
    port, then .gdbinit is rendered again for this user's own."""
    port = free_port()
    typed = "ubreak hello main\ncontinue\nwhereami\nkill\nquit\n"
    try:
        status, out = t.sh(["make", "--no-print-directory", "-s", "grade-debug",
                            "TEST=boot-qemu", "GDBPORT=%d" % port], input=typed)
    finally:
        t.sh(["make", "--no-print-directory", "-s", ".gdbinit"])
    shown = "make grade-debug TEST=boot-qemu GDBPORT=%d, given %r, printed:\n%s" % (
        port, typed, out.strip())
    t.expect(re.search(r"^ubreak 1: in hello \(space 0x", out, re.M),
             "expected gdb's ubreak hello main to stop in hello ('ubreak 1: in hello'): "
             "does grade-debug's gdb run .gdbinit?  " + shown)
    t.expect(re.search(r"program hello, space 0x[0-9a-f]+ \(page directory", out),
             "expected whereami to say 'program hello, space ...'; " + shown)


@check("doctor", points=4, boots=False)
def doctor(t):
    """`make doctor` finds every tool it needs on this machine and exits 0."""
    status, out = t.sh(["make", "--no-print-directory", "-s", "doctor"])
    t.expect(status == 0, "make doctor exited with status %d:\n%s" % (status, out.strip()))


@check("doctor-missing-tool", points=4, boots=False, after="doctor")
def doctor_missing_tool(t):
    """With qemu-system-i386 off the PATH, `make doctor` fails and names the Debian package
    that provides it."""
    status, out = t.sh(["make", "--no-print-directory", "-s", "doctor"],
                       env={"PATH": t.path_without("qemu-system-i386"), "QEMU": None})
    t.expect(status != 0, "make doctor exited 0 without qemu-system-i386:\n" + out.strip())
    t.expect("qemu-system-x86" in out,
             "make doctor did not name the package qemu-system-x86:\n" + out.strip())
