"""Typing into a QEMU machine's serial line, for @check tests that drive a program the way
a person at the console would (the shell tests of grade/lab0_monitors.py).

serial_machine(t) starts the test's configuration like Context.machine, but the serial port
is a pair of pipes (QEMU's pipe chardev: serial.in, which the grader writes to, serial.out,
which it reads); what it reads it writes to the console file, so the Run is judged as usual.
The pipe QEMU writes to holds a megabyte (F_SETPIPE_SZ), so a grader not scheduled on a
loaded host never makes the guest's output wait.  Two ways this once went wrong, both with a
Unix socket chardev, which takes only about 280 one-byte writes before a write would block:
QEMU 7.2 logs (logfile=) a byte whose write would block and logs it again when the serial
device sends it again, so the console showed a byte twice that the guest printed once
(shell-usage: "[fault: exit status 22]"); and a guest whose UART stays busy too long gives
up waiting (kern/dev/serial.c) and overwrites its FIFO, so bytes were lost.  m.wait_for(regex) waits until the console
shows a match after what earlier waits consumed (it reads the console file as it grows and
keeps only the last WINDOW characters not yet matched, however much the guest prints); m.type(text) sends text as keystrokes;
m.wait() says the test will type no more and waits for the end, which may be a deadlock: the
guest idle, waiting for input, with all that was typed received.
The grader reads the pipe all the time, except while a test holds it (m.hold();
m.release()), to see a guest whose output waits."""
import codecs
import fcntl
import os
import re
import select
import termios
import threading
import time

from .context import wall_limit
from .errors import Failure
from .machine import STALLED_FACTOR
from .qemu import QemuMachine


WINDOW = 256 * 1024     # console characters wait_for keeps after its last match


PIPE_BYTES = 1 << 20    # the output pipe's size: more than any test prints while held


class SerialMachine(QemuMachine):
    serial = None       # the grader's write end of serial.in
    _out = None         # its read end of serial.out
    _text = ""          # the console from just before the last match on, bounded
    _pos = 0            # where in _text the next match may start
    _offset = 0         # bytes of the console file read so far
    _decoder = None
    more_input = True   # until wait(): a guest idle at a prompt waits for the test to type
    _drainer = None
    _reading = None     # set while the drain thread may read the pipe
    _parked = None      # set while it waits for _reading

    def prepare(self):
        argv, files = super().prepare()
        i = argv.index("-serial")
        argv[i:i + 2] = ["-chardev", "pipe,id=serial0,path=%s" % self.path("serial"),
                         "-serial", "chardev:serial0"]
        # The grader's ends, opened read-write so that neither open waits for QEMU's.
        for end in ("in", "out"):
            os.mkfifo(self.path("serial." + end))
        self.serial = os.open(self.path("serial.in"), os.O_RDWR)
        self._out = os.open(self.path("serial.out"), os.O_RDWR)
        try:
            fcntl.fcntl(self._out, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:
            pass                # the host's limit is lower: its default (64 KB) then
        open(self.path("console"), "wb").close()
        return argv, files

    def connect(self):
        self._reading, self._parked = threading.Event(), threading.Event()
        self._reading.set()
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        super().connect()

    def _drain(self):
        """Copy what comes through the pipe to the console file until QEMU has exited and
        the pipe is empty (the grader holds a write end too, so the pipe never ends)."""
        with open(self.path("console"), "ab") as console:
            while True:
                if not self._reading.is_set():
                    self._parked.set()
                    self._reading.wait()
                    self._parked.clear()
                ended = self.proc.poll() is not None
                readable = select.select([self._out], [], [], 0.05)[0]
                if not self._reading.is_set():
                    continue
                if readable:
                    console.write(os.read(self._out, 65536))
                    console.flush()
                elif ended:
                    return

    def hold(self):
        """Stop reading the pipe: the guest's output waits in it (from when this returns)."""
        self._reading.clear()
        self._parked.wait(timeout=10)

    def release(self):
        self._reading.set()

    def pending(self):
        """Bytes the guest printed that wait in the pipe for the grader."""
        return int.from_bytes(fcntl.ioctl(self._out, termios.FIONREAD, b"\0" * 4), "little")

    def _drained(self):
        """Wait until the drain thread has copied all QEMU sent (once QEMU has exited)."""
        self._reading.set()
        self._drainer.join(timeout=10)

    def collect(self):
        if self._drainer:
            self._drained()
        return super().collect()

    def wait_for(self, regex, timeout=10.0):
        """The match of regex in the console after the last one; Failure once QEMU has had
        timeout seconds of CPU time (so a loaded host, which gives it less, does not fail
        the test), at most STALLED_FACTOR times that in wall time, or once it has ended (a
        guest that idles instead is stopped by the watchdog as a hang)."""
        started, cpu, checked = time.monotonic(), self.cpu_seconds(), 0.0
        pattern = re.compile(regex, re.M)
        while True:
            more = self._read_console()
            found = pattern.search(self._text, self._pos)
            if found:
                self._pos = found.end()
                return found
            if more:
                continue
            now = time.monotonic()
            late = now - started > timeout and now - checked >= 1.0
            if late:
                checked, used = now, self.cpu_seconds()
                late = cpu is None or used is None or used - cpu > timeout or \
                    now - started > STALLED_FACTOR * timeout
            if self.proc.poll() is not None and self._drainer.is_alive():
                self._drained()         # what QEMU sent before it ended: read it first
                if not self._drainer.is_alive():
                    continue
            if self.proc.poll() is not None or late:
                raise Failure("the console never showed %r; it ends with:\n%s"
                              % (regex, self._text[-400:]))
            time.sleep(0.05)

    def _read_console(self):
        """Add what the console file gained (up to WINDOW bytes) to _text; True if there may
        be more.  _text keeps the character before _pos, so that ^ knows whether a line
        starts there, and at most WINDOW characters, from a line's start if it can."""
        if self._decoder is None:
            self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        try:
            with open(self.path("console"), "rb") as f:
                f.seek(self._offset)
                data = f.read(WINDOW)
        except OSError:
            return False
        self._offset += len(data)
        text = self._text + self._decoder.decode(data)
        keep = max(self._pos - 1, 0)
        if len(text) - keep > WINDOW:
            newline = text.find("\n", len(text) - WINDOW)
            keep = newline if newline >= 0 else len(text) - WINDOW
        self._text = text[keep:]
        self._pos = max(self._pos - keep, min(keep, 1))
        return len(data) == WINDOW

    def type(self, text):
        data = text.encode()
        while data:
            data = data[os.write(self.serial, data):]
        self.typed += len(text.encode())

    def wait(self):
        """The test types no more: a guest then idle with all of it received is deadlocked
        (Machine.stalled).  Returns the Run."""
        self.more_input = False
        return super().wait()

    def close(self):
        super().close()
        for fd in (self.serial, self._out):
            if fd is not None:
                os.close(fd)
        self.serial = self._out = None


def serial_machine(t, boot=None, gdb=False):
    """Start t's configuration (or boot) on a SerialMachine, closed with the test; with gdb,
    halted before its first instruction for a debugger, as Context.machine(gdb=True)."""
    if (t.test.emulator or t.config.emu) != "qemu":
        raise Failure("typing on the serial line needs QEMU")
    m = SerialMachine(t.config, boot or t.test.boot, t.nonce, t.test.budget,
                      wall_limit(t.test, "qemu"), t.workdir, gdb=gdb, halted=gdb)
    t.machines.append(m)
    os.makedirs(t.workdir, exist_ok=True)
    return m.start()
