"""Lab 0: the shell's mistakes get clear answers.

A built-in given the wrong arguments says how to use it, a program given a bad argument
says what it takes, and `exit` takes a number or nothing; when the shell at the top of the
stack exits with a status, the root says so, and so does `make qemu-nox`.  Driven over the
serial line, as the shell tests of lab0_monitors.py are.
"""
import re
import time

from gradelib import Boot, check
from gradelib.serial import serial_machine

LAB = 0
TITLE = "The shell's errors"

EOL = r"\r?$"     # the serial console ends lines with \r\n
SHELL = Boot(monitors=["root"])


@check("shell-usage", points=2, budget=4000000000, emulator="qemu", boot=SHELL)
def shell_usage(t):
    """cat without a file says how to use it (cat FILE...), cat takes several files and
    names the one missing; fault with an unknown mode names the modes and exits 2 without
    faulting; exit with a word that is no number from 0 to 255, or with two words, is refused,
    and the shell goes on."""
    m = serial_machine(t)
    m.wait_for(r"^\$ ")
    m.type("cat\r")
    m.wait_for(r"^sh: usage: cat FILE\.\.\. \(prints each file of the boot file system; "
               r"ls lists them\)" + EOL)
    m.type("cat nosuch boot.conf\r")
    m.wait_for(r"^cat: nosuch: no such file" + EOL)
    m.wait_for(r"^prog=sh" + EOL)
    m.type("fault bogus\r")
    m.wait_for(r"^fault: unknown mode 'bogus'; the modes are write, divide, int3 and gpf"
               + EOL)
    m.wait_for(r"^\[fault: exit status 2\]" + EOL)
    m.type("exit abc\r")
    m.wait_for(r"^sh: exit: 'abc' is not a number \(exit \[N\], N from 0 to 255\)" + EOL)
    m.type("exit 256\r")
    m.wait_for(r"^sh: exit: '256' is not a number \(exit \[N\], N from 0 to 255\)" + EOL)
    m.type("exit 1 2\r")
    m.wait_for(r"^sh: exit: too many arguments \(exit \[N\]\)" + EOL)
    m.type("echo still here\r")
    m.wait_for(r"^still here" + EOL)
    m.type("exit\r")
    run = m.wait()
    t.expect(not re.search(r"no such program|Page Fault", run.console),
             "expected no 'no such program' and no fault; the console:\n" + run.console)
    t.expect(run.records.end_status() == 0, "expected END status=0 after exit: " +
             run.describe())


@check("qemu-nox-exit-status", points=1, boots=False)
def qemu_nox_exit_status(t):
    """`make qemu-nox` with exit 3 typed at the shell: the root says that sh exited with
    status 3, and emulator.py what the kernel's END status 3 means, before make fails."""
    status, out = t.sh(["make", "--no-print-directory", "-s", "qemu-nox"],
                       input="\rexit 3\r", timeout=120)
    shown = "make qemu-nox, given 'exit 3', printed:\n" + out.strip()
    t.expect(re.search(r"^root: sh exited with status 3" + EOL, out, re.M),
             "expected the root's 'root: sh exited with status 3'; " + shown)
    t.expect(re.search(r"^\*\*\* the kernel ended with status 3: the first task exited with "
                       r"an error \(the root's message above says which program and its "
                       r"exit status\)", out, re.M),
             "expected emulator.py to say why the run failed; " + shown)
    t.expect(status != 0, "expected make qemu-nox to fail; " + shown)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ROTATIONS = {LETTERS[i:] + LETTERS[:i] for i in range(len(LETTERS))}
SOCKET_HOLDS = 250      # bytes the serial socket holds before a write would block (about 280)
HELD_FULL = 1.0         # seconds serial-once keeps a full socket unread: a stalled host


def doubled(line):
    """Whether line is a rotation of the alphabet with one letter twice over."""
    return len(line) == len(LETTERS) + 1 and any(
        line[k] == line[k + 1] and line[:k] + line[k + 1:] in ROTATIONS
        for k in range(len(LETTERS)))


@check("serial-once", points=1, budget=4000000000, emulator="qemu",
       boot=Boot(monitors=["root"], program="serialburst"))
def serial_once(t):
    """Each byte the guest prints reaches the console once, even when the serial socket
    fills because the grader does not read it (a loaded host): the grader holds the socket
    while serialburst prints 64 lines, each a rotation of the alphabet, until the socket
    has been full for HELD_FULL seconds, and then line i must be the alphabet rotated by i:
    no letter twice (QEMU's own log of the socket, which the grader once used, logs a byte
    whose write would block, and again when it is sent) and none lost (a kernel that
    stopped waiting for the UART and wrote over a byte not yet sent)."""
    m = serial_machine(t)
    m.wait_for(r"^serialburst: press a key" + EOL)
    m.hold()
    m.type("x")
    held, last, still = time.monotonic(), -1, 0
    full = None
    while time.monotonic() - held < 10 and (full is None or time.monotonic() - full < HELD_FULL):
        time.sleep(0.002)
        now = m.pending()
        if now != last or now < SOCKET_HOLDS:
            full = None
        elif full is None:
            full = time.monotonic()
        last = now
    m.release()
    t.expect(last >= SOCKET_HOLDS, "expected the burst to fill the serial socket; it holds "
             "%d bytes" % last)
    m.wait_for(r"^serialburst: done" + EOL)
    run = m.wait()
    burst = run.console.partition("press a key\r\n")[2].partition("serialburst: done")[0]
    lines = [line.rstrip("\r") for line in burst.split("\n")[:-1]]
    twice = [line for line in lines if doubled(line)] + \
        ["an empty line"] * lines.count("") + ["\\r\\r"] * burst.count("\r\r")
    t.expect(not twice, "expected each byte once; the console shows: %s\n%s"
             % (", ".join(twice), run.console))
    wrong = ["line %d is %r" % (i, line) for i, line in enumerate(lines)
             if line != LETTERS[i % 26:] + LETTERS[:i % 26]]
    t.expect(len(lines) == 64 and not wrong, "expected 64 lines, line i the alphabet "
             "rotated by i, each byte once; the console shows %d lines: %s\n%s"
             % (len(lines), "; ".join(wrong[:5]), run.console))
    t.expect(run.records.end_status() == 0, "expected END status=0: " + run.describe())
