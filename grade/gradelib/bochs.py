"""Boots under Bochs, headless, counting guest instructions.

Bochs runs at a fixed ips with `clock: sync=none`, so each time-stamp count is one
instruction (or idle nanosecond), as under QEMU.  Debian's Bochs is built with its internal
debugger and without a gdb stub: the grader gives the debugger a time breakpoint at the
budget ("sba"), continues, and quits when it stops; on the wall-clock safety net it sends
SIGINT, which also drops into the debugger and quits (machine.py judges the net on the CPU
time Bochs had, so a loaded host does not fire it).  The debugger prints the tick count
where it stops, "(0).[ticks] ...", which is the count used.  Port 0xE9 arrives on Bochs's
standard output; the kernel ends the run by writing "Shutdown" to port 0x8900.
"""
import re
import signal
import subprocess
import time

import emulator

from .errors import Skip
from .machine import DEADLOCK, HANG, TIMEOUT, TRIPLE, WALL, Machine, Run
from .records import Records
from .relay import Relay


NO_GDB_STUB = "Debian's Bochs has no gdb stub; this test needs QEMU"

# Bochs emulates the serial port's baud rate, so each console character costs about 87,000
# counts (87 us at 115200 baud) where QEMU sends it at once; Bochs budgets are this many
# times a test's budget, plus 3 times its console's characters (what a solution run printed,
# from grade/budgets.txt) at that cost.  Like every budget, they count from the kernel's
# start; the time breakpoint, counted from the reset, adds the time Bochs's BIOS takes.
BUDGET_FACTOR = 4
SERIAL_COUNTS = 87000


def bochs_budget(budget, console=0):
    """The budget under Bochs of a test whose budget is budget and whose solution run
    printed console characters."""
    return BUDGET_FACTOR * budget + 3 * SERIAL_COUNTS * console


class BochsMachine(Machine):
    emulator = "bochs"
    debugger_stops_guest = False    # no gdb stub: COM2's GDB never stops the guest
    relay = None                # COM2's relay (gradelib/relay.py), with com2
    records_file = "stdout"

    def kernel_budget(self):
        return bochs_budget(self.budget, self.console_need)

    def breakpoint(self):
        """The time breakpoint, counted from the reset: Bochs's boot takes the same every
        run (its disk reads are synchronous), and its BIOS most of it."""
        return emulator.BOCHS_BOOT_COUNTS + self.host_limit()

    def prepare(self):
        if self.boot.multiboot:
            raise Skip("Bochs can not boot a Multiboot kernel directly; this test needs QEMU")
        if self.halted or (self.gdb and not self.com2):
            raise Skip(NO_GDB_STUB)
        image, cylinders = self.private_image(whole_cylinders=True)
        self.relay = Relay(self.path("com2")) if self.com2 else None
        rc = emulator.bochsrc(image, cylinders, self.path("console"), self.path("bochs.log"),
                              swap=self.swap_disk(), com2=self.relay and self.relay.port,
                              com2_client=True)
        # A guest waiting on COM2 idles while the host's clients think, and Bochs's clock
        # (sync=none) races through idle time: a time breakpoint would fire on the wait.
        # Its kernel's own budget= counts only busy time, and stops it.
        commands = emulator.bochs_commands(None if self.com2 else self.breakpoint())
        argv = emulator.bochs_argv(self.path("bochsrc"), self.path("commands"), self.config.bochs)
        return argv, {"bochsrc": rc, "commands": commands}

    def connect(self):
        pass

    def watch(self):
        while self.proc.poll() is None:
            stuck = self.stalled()
            if stuck:
                self.stop(DEADLOCK, stuck)
                break
            why = self.wall_net()
            if why:
                self.stop(WALL, why + " (Bochs can not tell a spinning guest from a halted "
                          "one)")
                break
            time.sleep(0.05)

    def terminate(self):
        self.proc.send_signal(signal.SIGINT)    # into the debugger, which then reads "q"
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def collect(self):
        if self.relay:
            self.relay.close()
        out, err = self.read("stdout"), self.read("stderr")
        run = Run(self.emulator, self.read("console"), Records(out, self.nonce),
                  self.kernel_budget())
        self.save("emulator.log", out + err)
        ticks = re.findall(r"^\(\d+\)\.?\[(\d+)\]", out, re.M)
        if ticks:
            self.used, self.used_exact = int(ticks[-1]), True
        run.exit_ok = "shutdown requested" in err
        message = re.search(r"Bochs is exiting with the following message:\n(.*)", err)
        run.exit_note = "Bochs stopped: " + (message.group(1).strip() if message else
                                             "exit status %d" % self.proc.returncode)
        if "Caught time breakpoint" in out and not self.stopped:
            self.stopped = (TIMEOUT, "the grader stopped the guest past its budget")
        elif self.stopped and self.used and self.used > self.breakpoint():
            # Its clock ran past the time breakpoint, which fires only on an instruction.
            self.stopped = (HANG, "the guest's clock ran past its budget without it executing "
                            "an instruction: halted with interrupts disabled")
        if "with no resolution" in err:
            run.outcome, run.why = TRIPLE, "the CPU could not deliver an exception (%s)" % (
                message.group(1).strip() if message else "Bochs panicked")
        self.classify(run, "\n".join(r for r in out.splitlines() if "FLUKE" in r))
        return run
