"""Lab 0: the platform.

Booting (from the disk image under QEMU and Bochs, and as a Multiboot kernel), the kernel's
panic report, debugging the kernel with gdb, and the environment doctor.  Each test boots its
own machine, whose records count only with that run's nonce; budgets are guest instructions
(handouts/grading.md).
"""
import os
import re

from gradelib import Boot, Console, End, Part, Record, check, test

LAB = 0
TITLE = "The platform"

# Booting to the first user program takes about 10 million instructions.
BUDGET = 50000000

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

test("boot-qemu", points=10, budget=BUDGET, emulator="qemu", expect=BOOTED, boot=HELLO)

test("boot-multiboot", points=5, budget=BUDGET, emulator="qemu", expect=BOOTED,
     boot=Boot(program="hello", multiboot=True))   # qemu -kernel obj/kern/kernel -initrd ...

test("boot-bochs", points=5, budget=BUDGET, emulator="bochs", expect=BOOTED, boot=HELLO)

# ktest=fault: the kernel reads address 0x10 inside ktest_fault and must panic with a report.
test("kernel-fault", budget=BUDGET, boot=Boot(ktest="fault"),
     expect=[Record("PANIC", r"Page Fault"), End(1)],
     parts=[
         Part("the report names the trap", 4, [Console(r"panic.*Page Fault")]),
         Part("the report shows the registers", 2,
              [Console(r"\beip\s+0x[0-9a-f]{8}"), Console(r"\besp\s+0x[0-9a-f]{8}")]),
         Part("a backtrace frame names ktest_fault", 4,
              [Console(r"^\s+#\d+\s.*\bktest_fault\b")]),
         Part("the backtrace reaches kmain", 2, [Console(r"^\s+#\d+\s.*\bkmain\b")]),
     ])


@check("gdb-batch", gdb=True, after="boot-qemu", boot=TICKING, parts=[
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


@check("gdb-remote", gdb=True, after="boot-qemu", boot=TICKING, parts=[
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


@check("gdb-gdbinit", gdb=True, after="boot-qemu", boot=HELLO, parts=[
    Part("connects through .gdbinit", 3), Part("kernel symbols and backtrace", 4),
    Part("usersym hello and usersym nest", 3)])
def gdb_gdbinit(t):
    """The documented workflow (`make gdb`): the .gdbinit make renders from .gdbinit.tmpl,
    here for this machine's gdb stub, run by host gdb as `gdb -n -x .gdbinit`, connects,
    has the kernel's symbols (a breakpoint on record_init, a backtrace through kmain), and
    its usersym loads a program's and a monitor's symbols (break main stops in hello)."""
    m = t.machine(gdb=True)
    objdir = os.path.dirname(os.path.dirname(t.config.kernel))     # obj/kern/kernel
    status, text = t.sh(["make", "--no-print-directory", "-s", "print-gdbinit",
                         "OBJDIR=" + objdir, "GDBREMOTE=" + m.path("gdb")])
    t.expect(status == 0 and "target remote" in text,
             "make print-gdbinit failed (status %d):\n%s" % (status, text.strip()))
    gdbinit = os.path.join(t.workdir, "gdbinit")
    with open(gdbinit, "w") as f:
        f.write(text)
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
