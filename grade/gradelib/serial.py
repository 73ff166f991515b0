"""Typing into a QEMU machine's serial line, for @check tests that drive a program the way
a person at the console would (the shell tests of grade/lab0_monitors.py).

serial_machine(t) starts the test's configuration like Context.machine, but the serial port
is a Unix socket the grader writes to and reads from; what it reads it writes to the console
file, so the Run is judged as usual.  The console file is what came through the socket, not
QEMU's logfile= of the chardev: QEMU 7.2 logs a byte whose write to the socket would block
(the grader's reader not scheduled on a loaded host: the socket takes only about 280 one-byte
writes) and logs it again when the serial device sends it again, so its log can show a
byte twice that the guest printed once (shell-usage once saw "[fault: exit status 22]").
QEMU waits for the grader's connection before it starts the guest (wait=on), so the socket
carries everything the guest prints.  m.wait_for(regex) waits until the console
shows a match after what earlier waits consumed (it reads the console file as it grows and
keeps only the last WINDOW characters not yet matched, however much the guest prints); m.type(text) sends text as keystrokes;
m.wait() says the test will type no more and waits for the end, which may be a deadlock: the
guest idle, waiting for input, with all that was typed received.
The grader reads the socket all the time (QEMU would otherwise stall the guest's output),
except while a test holds it (m.hold(); m.release()), to see a guest whose output waits."""
import codecs
import fcntl
import os
import re
import socket
import termios
import threading
import time

from .context import wall_limit
from .errors import Failure
from .machine import STALLED_FACTOR
from .qemu import QemuMachine


WINDOW = 256 * 1024     # console characters wait_for keeps after its last match


class SerialMachine(QemuMachine):
    serial = None
    _text = ""          # the console from just before the last match on, bounded
    _pos = 0            # where in _text the next match may start
    _offset = 0         # bytes of the console file read so far
    _decoder = None
    more_input = True   # until wait(): a guest idle at a prompt waits for the test to type
    _drainer = None
    _reading = None     # set while the drain thread may read the socket

    def prepare(self):
        argv, files = super().prepare()
        i = argv.index("-serial")
        argv[i:i + 2] = ["-chardev", "socket,id=serial0,path=%s,server=on,wait=on"
                         % self.path("serial"), "-serial", "chardev:serial0"]
        return argv, files

    def connect(self):
        # QEMU listens and waits for this connection before anything else (QMP included).
        deadline = time.monotonic() + 10
        while True:
            self.serial = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.serial.connect(self.path("serial"))
                break
            except OSError:
                self.serial.close()
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise Failure("QEMU's serial socket did not appear within 10 s (see "
                                  "emulator.log)")
                time.sleep(0.01)
        open(self.path("console"), "wb").close()
        self._reading = threading.Event()
        self._reading.set()
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        super().connect()

    def _drain(self):
        """Copy what comes through the socket to the console file until QEMU closes it."""
        try:
            with open(self.path("console"), "ab") as console:
                while True:
                    self._reading.wait()
                    data = self.serial.recv(4096)
                    if not data:
                        return
                    console.write(data)
                    console.flush()
        except OSError:
            pass

    def hold(self):
        """Stop reading the socket: the guest's output waits in it (and then in QEMU)."""
        self._reading.clear()

    def release(self):
        self._reading.set()

    def pending(self):
        """Bytes the guest printed that wait in the socket for the grader."""
        return int.from_bytes(fcntl.ioctl(self.serial.fileno(), termios.FIONREAD, b"\0" * 4),
                              "little")

    def _drained(self):
        """Wait until the drain thread has copied all QEMU sent (QEMU has exited, so the
        socket ends)."""
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
        self.serial.sendall(data)
        self.typed += len(data)

    def wait(self):
        """The test types no more: a guest then idle with all of it received is deadlocked
        (Machine.stalled).  Returns the Run."""
        self.more_input = False
        return super().wait()

    def close(self):
        if self.serial:
            self.serial.close()
        super().close()


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
