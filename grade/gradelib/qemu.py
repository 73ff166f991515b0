"""Boots under QEMU, counting guest instructions.

QEMU runs with -icount shift=0,sleep=off: guest time advances one nanosecond per
instruction, and idle time passes instantly, so a run takes the same number of counts on any
host, loaded or not.  QMP's query-replay returns the number of instructions executed so far
(QEMU 7.2 answers it with record/replay off); the watchdog polls it to stop a guest that runs
past its budget.  The kernel's own time-stamp counter also counts the idle nanoseconds, so
its tsc= in END and TIMEOUT records is at least the instruction count.

A hang is judged on the CPU's state, never on wall time alone, since on a loaded host QEMU
may run no guest instruction for seconds (its disk reads wait for the host, the BIOS
waits for them).  Once the count has not moved for STILL_SECONDS, the watchdog asks QEMU
(HMP `info registers`) whether the CPU is halted and with which EFLAGS: halted with
interrupts disabled is a hang at once (only a reset wakes it); halted with interrupts
enabled is one only after HANG_SECONDS, and only once the kernel wrote a record (before
that the BIOS and the boot loader may be waiting for the host's disk); not halted is the
host not running QEMU: after STALL_SECONDS it is the safety net (machine.py), never a hang.

A triple fault resets the CPU, which -no-reboot turns into a shutdown, which
-action shutdown=pause turns into a pause: once the count stops moving, the watchdog asks
QEMU's status, and at "shutdown" reads the exact count and quits.  Letting QEMU exit by
itself there instead can deadlock QEMU 7.2 when a QMP command is in flight (the main loop
waits in monitor_cleanup for the command, which waits for the main loop); the kernel's own
exit, through isa-debug-exit, does not take that path.  Still, QMP gets a timeout, and a
QEMU that stops answering and does not exit is killed: QMP_SECONDS once the kernel has
written its END record (QEMU should be exiting), else (the handshake too) STALL_SECONDS,
since a loaded host may leave QEMU's main loop unscheduled for seconds.
"""
import json
import os
import re
import socket
import subprocess
import time

import emulator

from . import stop
from .errors import Failure
from .machine import DEADLOCK, HANG, TIMEOUT, TRIPLE, WALL, Machine, Run
from .records import Records
from .rsp import RemoteGDB

POLL = 0.02             # seconds between two budget checks
STILL_SECONDS = 1.0     # a count unchanged this long: ask QEMU what the CPU is doing
HANG_SECONDS = 10.0     # halted with interrupts enabled and no instruction this long: a hang
STALL_SECONDS = 60.0    # no instruction this long, not a hang: the host is stalled
IF_FLAG = 0x200         # EFLAGS.IF
QMP_SECONDS = 2.0       # how long QMP may take to answer, or QEMU to exit once it stops


class QemuExited(Exception):
    """QEMU exited before its QMP handshake was over: a guest that ends at once."""


class Qmp:
    """A minimal QMP client: one command at a time, events skipped; a command whose answer
    (or a greeting that) takes longer than patience seconds raises OSError (socket.timeout).
    A QEMU that exits closes the socket, which ends any wait at once."""

    patience = STALL_SECONDS

    def __init__(self, path, proc):
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if proc.poll() is not None:
                    raise QemuExited()
                if time.monotonic() > deadline:
                    raise Failure("QEMU's QMP socket did not appear within 10 s")
                time.sleep(0.01)
        self.sock.settimeout(self.patience)
        self.file = self.sock.makefile("rw")
        try:
            if not self.file.readline():        # the greeting
                raise OSError("QMP connection closed")
            self.command("qmp_capabilities")
        except (OSError, ValueError) as e:
            # A guest may finish (and QEMU exit) between the connect and the handshake.
            self.close()
            try:
                proc.wait(timeout=QMP_SECONDS)
            except subprocess.TimeoutExpired:
                raise Failure("QEMU's QMP handshake failed (%s) and QEMU still runs" % e)
            raise QemuExited()

    def command(self, name, **arguments):
        self.sock.settimeout(self.patience)
        request = {"execute": name}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request) + "\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise OSError("QMP connection closed")
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise OSError("QMP %s: %s" % (name, reply["error"].get("desc")))

    def close(self):
        self.sock.close()


class QemuMachine(Machine):
    emulator = "qemu"
    qmp = None
    hung = False        # QEMU hung on its way out and was killed

    def prepare(self):
        boot, config = self.boot, self.config
        options = dict(serial="file:" + self.path("console"),
                       debugcon="file:" + self.path("e9"), icount=True, sleep=False,
                       qmp=self.path("qmp"), reset_log=self.path("reset.log"),
                       pause_at_shutdown=True, gdb=self.path("gdb") if self.gdb else None,
                       halt=self.halted, swap=self.swap_disk(),
                       com2=self.path("com2") if self.com2 else None)
        if boot.multiboot:
            kernel, initrd = boot.kernel_path(config), boot.initrd_path(config)
            for path in (kernel, initrd):
                if path and not os.path.exists(path):
                    raise Failure("%s is missing; run 'make'" % path)
            argv = emulator.qemu_argv(config.qemu, kernel=kernel, initrd=initrd,
                                      append=self.cmdline(), **options)
        else:
            image, _ = self.private_image()
            argv = emulator.qemu_argv(config.qemu, image=image, **options)
        return argv, {}

    def connect(self):
        try:
            self.qmp = Qmp(self.path("qmp"), self.proc)
        except QemuExited:
            if not self.read("e9"):
                raise Failure("QEMU did not start (see emulator.log)")
            self.qmp = None                     # the guest ran and ended: nothing to watch

    def icount(self):
        return self.qmp.command("query-replay")["icount"]

    def cpu_state(self):
        """(halted, interrupts enabled) of the CPU, from HMP `info registers`; (None, None)
        if its text does not say."""
        text = self.qmp.command("human-monitor-command", **{"command-line": "info registers"})
        flags, halted = re.search(r"EFL=([0-9a-f]+)", text), re.search(r"HLT=(\d)", text)
        if not flags or not halted:
            return None, None
        return halted.group(1) == "1", bool(int(flags.group(1), 16) & IF_FLAG)

    def hang(self, still):
        """Why the guest, which executed no instruction for still seconds, hangs, or None
        while it may yet go on."""
        halted, interrupts = self.cpu_state()
        if halted and not interrupts:
            return "the CPU halted with interrupts disabled: only a reset can wake it"
        if halted is False or still < HANG_SECONDS or self.booted is None:
            return None
        if halted is None:
            return "the guest executed no instruction for %d s of wall time" % still
        return "the CPU halted, waiting for an interrupt that did not come for %d s of wall " \
            "time" % still

    def watch(self):
        last, since, asked = None, time.monotonic(), 0.0
        while self.qmp and self.proc.poll() is None:
            self.qmp.patience = QMP_SECONDS if self.ending() else STALL_SECONDS
            try:
                self.used = self.icount()
                if self.used == last and self.qmp.command("query-status")["status"] == \
                        "shutdown":
                    return self.terminate()     # a triple fault (or a reset): paused
                now = time.monotonic()
                if self.used != last:
                    last, since = self.used, now
                if self.used > self.limit():
                    return self.stop(TIMEOUT, self.past_limit())
                stuck = self.stalled()
                if stuck:
                    return self.stop(DEADLOCK, stuck)
                if self.booted is None:
                    self.note_boot()
                still = now - since
                if not self.gdb and still >= STILL_SECONDS and now - asked >= STILL_SECONDS:
                    asked = now
                    why = self.hang(still)
                    if why:
                        return self.stop(HANG, why)
            except (OSError, ValueError):
                return self.exiting()
            if not self.gdb and still >= STALL_SECONDS:
                return self.stop(WALL, "the guest executed no instruction for %d s of wall "
                                 "time, and is not halted with interrupts disabled: the host "
                                 "is stalled, or QEMU stuck (rerun with -j1)" % still)
            why = self.wall_net()
            if why:
                return self.stop(WALL, why)
            time.sleep(POLL)

    def ending(self):
        """Whether the kernel has written its END record (it is the last one)."""
        try:
            with open(self.path("e9"), "rb") as f:
                f.seek(max(0, os.path.getsize(self.path("e9")) - 200))
                return b" END status=" in f.read()
        except OSError:
            return False

    def exiting(self):
        """QMP stopped answering: QEMU is exiting.  Give it time, then kill it."""
        try:
            self.proc.wait(timeout=QMP_SECONDS)
        except subprocess.TimeoutExpired:
            self.hung = True
            self.proc.kill()

    def terminate(self):
        try:
            self.qmp.patience = QMP_SECONDS
            self.qmp.command("stop")
            self.used, self.used_exact = self.icount(), True
            self.qmp.command("quit")
            self.proc.wait(timeout=QMP_SECONDS)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.proc.kill()

    def collect(self):
        if self.qmp:
            self.qmp.close()
        e9, status = self.read("e9"), self.proc.returncode
        run = Run(self.emulator, self.read("console"), Records(e9, self.nonce),
                  self.kernel_budget())
        errors = self.read("stderr").strip().splitlines()
        self.save("emulator.log", self.read("stderr") + self.read("reset.log"))
        end = run.records.end_status()
        run.exit_ok = end is not None and (status == (end << 1) | 1 or self.hung)
        if self.hung:
            run.exit_note = "QEMU hung on its way out (a QEMU bug) and the grader killed it"
        elif status < 0:
            run.exit_note = "QEMU was stopped by the grader"
        elif status & 1:
            run.exit_note = "QEMU exited with status %d: the kernel wrote %d to port 0xf4" % (
                status, status >> 1)
        else:
            run.exit_note = "QEMU exited with status %d%s" % (
                status, ": " + errors[-1] if errors else "")
        if "Triple fault" in self.read("reset.log"):
            run.outcome, run.why = TRIPLE, ("the CPU reset itself (an exception while "
                                            "handling a double fault)")
        self.classify(run, e9)
        return run

    # Debugger access, for machines started with gdb=True.

    def rsp(self):
        """A RemoteGDB client connected to this machine's gdb stub.  It waits for an answer
        as long as the machine's own safety net (wall: under a debugger the net is wall
        time), not a fixed few seconds: a continue on a loaded host may take that long."""
        return RemoteGDB(self.path("gdb"), timeout=self.wall)

    def gdb_batch(self, commands, kernel=None, timeout=None):
        """Run host gdb in batch mode against this machine, with the kernel's symbols, and
        return everything it printed; gdb may take the machine's safety net (wall)."""
        timeout = timeout or self.wall
        argv = [self.config.gdb, "-n", "-batch", "-ex", "set confirm off",
                "-ex", "set pagination off",
                "-ex", "symbol-file " + (kernel or self.config.kernel),
                "-ex", "target remote " + self.path("gdb")]
        for c in commands:
            argv += ["-ex", c]
        try:
            done = stop.run(argv, timeout, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
        except FileNotFoundError:
            raise Failure("%s is not installed; run 'make doctor'" % self.config.gdb)
        except subprocess.TimeoutExpired:
            raise Failure("gdb did not finish within %d s" % timeout)
        out = done.stdout.decode("utf-8", "replace")
        self.save("gdb.txt", " ".join(argv) + "\n\n" + out)
        return out

