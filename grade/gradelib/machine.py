"""One boot of one test configuration, and what it produced.

A Machine owns a temporary directory (the private disk image, sockets), an emulator process
and a watchdog thread that enforces the budget and the wall-clock safety net.  The budget is
enforced by the host, since a guest that hangs with interrupts disabled can not enforce it;
the kernel is also told the budget (budget= on its command line) so that it can stop itself
with a TIMEOUT record first.  qemu.py and bochs.py fill in the emulator-specific parts.

The safety net judges the emulator's progress, never wall time alone, so that a loaded host
can not fail a test: it fires when the emulator has had `wall` seconds of CPU time (its own,
from /proc) and the guest is still not done, or when the host gave it less than
STALLED_SHARE of a core over more than `wall` seconds of wall time (a stalled host).  Under
a debugger the guest stops for as long as the debugger wants, so there it is wall time.
"""
import os
import shutil
import subprocess
import tempfile
import threading
import time

import emulator

from . import bounded
from .errors import Failure
from .records import IdleWatch, Records

# How a run ended (Run.outcome).
END = "end"                 # the kernel wrote its END record
TIMEOUT = "timeout"         # the budget ran out
HANG = "hang"               # the guest stopped executing instructions
WALL = "wall-clock"         # the wall-clock safety net ran out
TRIPLE = "triple fault"
DEADLOCK = "deadlock"       # idle for good: every thread blocked, no more input to come
CRASH = "crash"             # the emulator stopped without an END record

# The host stops a guest only this far past its budget, so that a kernel that checks its
# budget on timer ticks gets to report its own TIMEOUT first.
HOST_GRACE = 20000000

# The kernel's timer tick (TIMER_HZ, 100, in kern/dev/timer.h) in guest counts, one a
# nanosecond: the kernel checks budget= and the spaces' CPU budgets once a tick.
TICK_COUNTS = 10000000

# A budget counts from the kernel's start (its BOOT record's tsc=); before that the firmware
# and the boot loader may run this many counts.  Their count is the host's doing: the loader
# polls the disk while the host reads it, 12.5M counts on an idle host, once 147M on a loaded
# one (handouts/grading.md section 4).
BOOT_LIMIT = 1000000000

# The safety net's judgement of a stalled host: the emulator got less than this share of
# one core, averaged over the run.  Without /proc, wall time STALLED_FACTOR times the net.
STALLED_SHARE = 0.05
STALLED_FACTOR = 4
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# Machines whose emulator may still run, so that an interrupted grader can stop them all;
# once it has, no machine starts.
_live = set()
_live_lock = threading.RLock()    # re-entrant: stop.py's signal handler takes it too
_interrupted = threading.Event()


def kill_all():
    """Stop every emulator at once (the grader was interrupted)."""
    _interrupted.set()
    with _live_lock:
        machines = list(_live)
    for m in machines:
        if m.proc and m.proc.poll() is None:
            m.proc.kill()
        shutil.rmtree(m.tmp, ignore_errors=True)


# What END status=N means (handouts/boot.md, section 5).
_END_MEANING = {0: " (a normal shutdown)", 1: " (a kernel panic)", 2: " (its budget ran out)",
                3: " (the first task exited with an error)",
                4: " (a deadlock: no thread could ever run again)"}


def count(n):
    """A count of instructions, readable: 950, 31.2K, 4.00M, 1.25G."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return "%.3g%s" % (n / size, unit)
    return str(n)


def escaped(text):
    """text with what is not printable ASCII, and quotes and backslashes, escaped."""
    return "".join(c if " " <= c <= "~" and c not in "\\\"" else
                   "\\" + c if c in "\\\"" else
                   "\\x%02x" % ord(c) if ord(c) < 0x100 else "\\u%04x" % ord(c)
                   for c in text)


LAST_LINES = 3      # console lines a timeout's headline quotes


class Run:
    """The evidence from one boot: console text, records, how it ended, what it used."""

    def __init__(self, emulator, console, records, budget):
        self.emulator = emulator
        self.console = console
        self.records = records
        self.budget = budget
        self.outcome = CRASH
        self.used = None        # time-stamp counts: one per instruction or idle nanosecond
        self.exact = False      # used was measured where the run ended, not at the last poll
        self.why = ""           # the outcome's explanation, for reports
        self.exit_ok = False    # the emulator stopped the way the kernel asked it to
        self.exit_note = ""     # how the emulator stopped, for reports
        self.used_all = False   # a timeout: the guest ran through its whole budget
        self.booted = None      # where the budget starts: Records.start(); None: no record
        self.command = ""       # the emulator's command line, and the kernel's
        self.cmdline = ""

    def end_status(self):
        return self.records.end_status() if self.outcome == END else None

    def usage(self):
        """ "used X of Y", or "" when nothing was measured."""
        if self.used is None:
            return ""
        boot = " after a %s boot" % count(self.booted) if self.booted else ""
        return "used %s%s of %s%s" % ("" if self.exact else "at least ", count(self.used),
                                      count(self.budget), boot)

    def last_lines(self):
        """The last few console lines, each quoted and escaped, for a one-line report."""
        lines = [s for s in self.console.replace("\r", "").split("\n") if s.strip()]
        if not lines:
            return "(the console is empty)"
        return " / ".join('"%s"' % escaped(s) for s in lines[-LAST_LINES:])

    def describe(self):
        """One line that says how the run ended."""
        if self.outcome == END:
            panics = self.records.texts("PANIC")
            if panics:
                return "kernel panic: %s" % panics[0]
            stuck = self.records.deadlock()
            if stuck:
                return "deadlock: " + stuck
            status = self.end_status()
            return "the kernel ended with status %d%s" % (status, _END_MEANING.get(status, ""))
        if self.outcome == TIMEOUT and self.used_all:
            return "timeout: used all %s instructions of its budget (%s): an endless loop " \
                "or a deadlock? last lines: %s" % (count(self.budget), self.why,
                                                   self.last_lines())
        head = {TIMEOUT: "timeout", HANG: "hang", WALL: "wall-clock safety net",
                TRIPLE: "triple fault", CRASH: "no END record",
                DEADLOCK: "deadlock"}[self.outcome]
        usage = self.usage()
        return "%s: %s%s" % (head, self.why, " (%s)" % usage if usage else "")


class Machine:
    emulator = None
    records_file = "e9"     # where port 0xE9 output goes, in tmp
    console_need = 0        # console characters a solution run printed (Bochs budgets)
    # A debugger on the emulator's gdb stub may keep the guest stopped for as long as it
    # likes, so with gdb the safety net is wall time; an emulator without one (Bochs) has
    # gdb only for COM2, whose guest runs meanwhile, and is judged on CPU time as any run.
    debugger_stops_guest = True
    typed = 0               # bytes the grader typed into the guest (serial.py)
    more_input = False      # the grader may still type: an idle guest may be waiting for it
    _idle = None            # the IdleWatch of stalled(), and how far it has read
    _idle_read = 0

    def __init__(self, config, boot, nonce, budget, wall, workdir, gdb=False, halted=False,
                 com2=False):
        self.config = config
        self.boot = boot
        self.nonce = nonce
        self.budget = budget
        self.wall = wall
        self.workdir = workdir
        self.gdb = gdb              # a debugger will drive it: no hang detection
        self.halted = halted        # stopped before the first instruction
        self.com2 = com2            # COM2 on the socket path("com2"): the debugger monitor's line
        self.tmp = tempfile.mkdtemp(prefix="fluke-grade-")
        self.proc = None
        self.command = ""
        self.stopped = None         # (outcome, why) when the watchdog stopped the guest
        self.used = None            # the last count the watchdog saw
        self.used_exact = False     # ... and it was read where the guest stopped
        self.booted = None          # for the watchdog: Records.start() once it is known
        self.started = None
        self._watchdog = None
        self.finished = None        # the Run, once wait() has returned it

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def cmdline(self):
        return self.boot.cmdline(self.nonce, self.kernel_budget())

    def kernel_budget(self):
        """The budget in the emulator's counts, as the kernel is told it."""
        return self.budget

    def host_limit(self):
        """How far past the kernel's start the grader stops the guest."""
        return self.kernel_budget() + max(self.budget // 4, HOST_GRACE)

    def limit(self):
        """The count, from the reset, where the watchdog stops the guest now."""
        return (BOOT_LIMIT if self.booted is None else self.booted) + self.host_limit()

    def past_limit(self):
        """Why the watchdog stops a guest past limit()."""
        if self.booted is None:
            return "the kernel did not start: the firmware and the boot loader ran past " \
                "%s counts without the kernel's BOOT record (a broken obj/fluke.img? run " \
                "make)" % count(BOOT_LIMIT)
        return "the grader stopped the guest past its budget"

    def start(self):
        os.makedirs(self.workdir, exist_ok=True)
        argv, files = self.prepare()
        for name, text in files.items():
            with open(os.path.join(self.tmp, name), "w") as f:
                f.write(text)
        self.command = " ".join(argv)
        self.save("command.txt", self.command + "\n" + "".join(
            "\n--- %s\n%s" % item for item in files.items()))
        self.save("cmdline.txt", self.cmdline() + "\n")
        self.started = time.monotonic()
        with _live_lock:
            if _interrupted.is_set():
                raise Failure("interrupted")
            _live.add(self)
        with open(self.path("stdout"), "wb") as out, open(self.path("stderr"), "wb") as err:
            try:
                # Its own session: a Ctrl-C meant for the grader (or gdb) does not reach it.
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                             stderr=err, start_new_session=True)
            except FileNotFoundError:
                raise Failure("%s is not installed; run 'make doctor'" % argv[0])
        if _interrupted.is_set():       # kill_all ran while it started
            self.proc.kill()
        self.connect()
        self._watchdog = threading.Thread(target=self.watch, daemon=True)
        self._watchdog.start()
        return self

    def wait(self):
        """Wait for the guest to end (or be stopped) and return its Run."""
        if self.finished is None:
            if self._watchdog:
                self._watchdog.join()
            self.proc.wait()
            self.finished = self.collect()
            self.save("console.txt", self.finished.console)
        return self.finished

    def elapsed(self):
        return time.monotonic() - self.started

    def stalled(self):
        """For the watchdog: "every thread is blocked: ..." once the guest is idle for good
        (an IDLE record, all typed input received, and no more to come), else None."""
        if self.gdb or self.more_input:
            return None
        try:
            with open(self.path(self.records_file), "rb") as f:
                f.seek(self._idle_read)
                new = f.read(bounded.CHUNK)
        except OSError:
            return None
        if self._idle is None:
            self._idle = IdleWatch(self.nonce)
        self._idle_read += len(new)
        self._idle.feed(new.decode("ascii", "replace"))
        return self._idle.idle_deadlock(self.typed)

    def cpu_seconds(self):
        """The CPU time the emulator has had (with any processes it started, should its
        command be a wrapper), or None where /proc does not say.  Called only once the
        net's wall time is up, so reading all of /proc is cheap enough."""
        stats = {}
        for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if name.isdigit():
                try:
                    with open("/proc/%s/stat" % name) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    stats[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
                except (OSError, IndexError, ValueError):
                    pass
        if self.proc.pid not in stats:
            return None
        tree, grown = {self.proc.pid}, True
        while grown:
            grown = False
            for pid, (parent, _) in stats.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grown = True
        return sum(stats[pid][1] for pid in tree) / _TICK

    def wall_net(self):
        """For the watchdog: why the safety net fires now (the emulator had all the CPU
        time the guest could need, or the host is stalled), else None."""
        elapsed = self.elapsed()
        if elapsed <= self.wall:
            return None
        if self.gdb and self.debugger_stops_guest:
            return "still running after %d s of wall time under a debugger" % self.wall
        cpu = self.cpu_seconds()
        if cpu is None:
            if elapsed <= STALLED_FACTOR * self.wall:
                return None
            return "still running after %d s of wall time; the host may be overloaded " \
                "(rerun with fewer jobs, -j1)" % elapsed
        if cpu > self.wall:
            return "the emulator had %d s of CPU time, more than the test allows, and the " \
                "guest is still not done" % cpu
        if cpu < STALLED_SHARE * elapsed:
            return "in %d s of wall time the host gave the emulator only %.1f s of CPU: " \
                "the host is stalled or overloaded (rerun with fewer jobs, -j1)" % (
                    elapsed, cpu)
        return None

    def note_boot(self):
        """For the watchdog, until it is set: self.booted, once the kernel's first record
        (a whole line) has arrived."""
        try:
            with open(self.path(self.records_file), "rb") as f:
                head = f.read(4096)
        except OSError:
            return
        whole = head[:head.rfind(b"\n") + 1].decode("ascii", "replace")
        self.booted = Records(whole, self.nonce).start()

    def stop(self, outcome, why):
        """Called by the watchdog: stop the guest for the reason given."""
        self.stopped = (outcome, why)
        self.terminate()

    def close(self):
        """Stop the emulator if it still runs (keeping what it printed for the report), and
        remove the temporary directory."""
        if self.proc is not None and self.finished is None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.wait()
        with _live_lock:
            _live.discard(self)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def private_image(self, whole_cylinders=False):
        """Copy the disk image into tmp with this run's command line; returns the copy's path
        and its number of cylinders."""
        image = self.path("fluke.img")
        if not os.path.exists(self.config.image):
            raise Failure("%s is missing; run 'make'" % self.config.image)
        try:
            return image, emulator.private_image(self.config.image, image, self.cmdline(),
                                                 whole_cylinders)
        except emulator.fluke_image.ImageError as e:
            raise Failure(str(e))

    def swap_disk(self):
        """A fresh, empty swap disk in tmp for this run alone (None if the boot has none):
        parallel tests never share one.  A boot that names a disk file (Boot(swap=PATH))
        gets that file, made empty only if it does not exist yet."""
        if not self.boot.swap:
            return None
        if isinstance(self.boot.swap, str):
            if not os.path.exists(self.boot.swap):
                emulator.make_swap(self.boot.swap)
            return self.boot.swap
        swap = self.path("swap.img")
        emulator.make_swap(swap)
        return swap

    def path(self, name):
        return os.path.join(self.tmp, name)

    def read(self, name):
        """What the guest (or emulator) wrote to the file name in tmp, within bounds."""
        return bounded.read_text(self.path(name))

    def save(self, name, text):
        with open(os.path.join(self.workdir, name), "w") as f:
            f.write(text)

    def classify(self, run, records_text):
        """Fill in run.outcome and run.why from the watchdog and the records; subclasses
        first check for their own signs (a triple fault)."""
        self.save("records.txt", records_text)
        run.command, run.cmdline = self.command, self.cmdline()
        run.booted = run.records.start()
        reported = run.records.tsc()
        used = max(x for x in (self.used, reported, 0) if x is not None)
        run.used = max(0, used - (run.booted or 0)) if used else None
        run.exact = reported is not None or self.used_exact
        if self.stopped:
            run.outcome, run.why = self.stopped
            run.used_all = run.outcome == TIMEOUT and run.booted is not None
        elif run.outcome == TRIPLE:
            pass
        elif run.records.texts("TIMEOUT"):
            run.outcome, run.why = TIMEOUT, "the kernel stopped itself: TIMEOUT record"
            run.used_all = True
        elif run.records.end_status() is not None:
            run.outcome = END
            if run.used and run.used > run.budget:
                run.outcome, run.why = TIMEOUT, "the kernel finished, but past its budget"
        else:
            run.outcome, run.why = CRASH, run.exit_note

    # Subclasses provide:
    #   prepare() -> (argv, {file name in tmp: text})   build the private image and command
    #   connect()                                       after the process starts
    #   watch()                                         the watchdog loop
    #   terminate()                                     make the emulator exit now
    #   collect() -> Run                                after the process has exited
