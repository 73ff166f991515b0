"""Lab 0: the platform.

Booting (from the disk image under QEMU and Bochs, and as a Multiboot kernel), the kernel's
panic report, debugging the kernel with gdb, and the environment doctor.  Each test boots its
own machine, whose records count only with that run's nonce; budgets are guest instructions
(handouts/grading.md).
"""
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
# whose default configuration is the interactive shell: lab 1).
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
