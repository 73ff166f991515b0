#!/usr/bin/env python3
"""Emulator command lines for Fluke: the one place that knows QEMU's and Bochs's options.

The grader (grade/gradelib) builds every run from these functions, and the GNUmakefile's
interactive targets use the command line:

    emulator.py qemu  [--nox] [--gdb PORT] [--cmdline LINE] [--image IMG] [--swap IMG] [--print]
    emulator.py bochs [--nox] [--debug] [--cmdline LINE] [--image IMG] [--swap IMG] [--print]
    emulator.py swap IMG          make IMG an empty (sparse, zero) swap disk

With --cmdline the emulator boots a private copy of the image (next to it, in run/) with that
kernel command line; the image itself is never modified.  The swap disk (--swap, default
swap.img next to the image, as make builds obj/swap.img; "none" for no second disk) is the primary channel's slave, the disk the root
monitor serves as Block: while one emulator of the tree has it (run/swap.lock), another gets
a fresh one of its own in run/ instead, so two never write one disk.  --print prints the command instead
of running it.  QEMU and Bochs are taken from $QEMU and $BOCHS when set.

Python 3 standard library only.
"""
import argparse
import errno
import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import termios
import threading
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fluke_image  # noqa: E402  (lives next to this file)

# isa-debug-exit: the kernel writes v to this port and QEMU exits with status (v << 1) | 1.
EXIT_PORT = 0xF4

# Bochs runs at a fixed rate of 10^9 instructions per emulated second with `clock: sync=none`,
# so one time-stamp count is one instruction or one nanosecond of idle time, as under QEMU's
# `-icount shift=0`: budgets and timer rates mean the same on both emulators.
BOCHS_IPS = 1000000000

# Bochs's BIOS spends 3.03e9 counts (mostly idle waits) before the boot sector runs, where
# SeaBIOS under QEMU spends 9e6, and the kernel starts (its BOOT record) at 3.19e9: Bochs's
# disk reads are synchronous, so that is the same every run, growing only with the boot
# file system.  Budgets count from the kernel's start; a time breakpoint, from the reset,
# comes this much later.
BOCHS_BOOT_COUNTS = 3500000000

BOCHS_BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGA_BIOS = "/usr/share/vgabios/vgabios.bin"

# Bochs needs a flat disk image whose size is a whole number of cylinders.
_HEADS, _SPT = 16, 63
_CYLINDER = _HEADS * _SPT * 512


# The swap disk: whole cylinders, as Bochs needs, 64 of them (31.5 MiB, 64512 sectors).
SWAP_CYLINDERS = 64
SWAP_BYTES = SWAP_CYLINDERS * _CYLINDER


def make_swap(path, size=SWAP_BYTES):
    """Make path an empty swap disk of size bytes: all zeros, sparse (no blocks written), so
    each run can have a fresh one at no cost.  Returns its number of cylinders."""
    with open(path, "wb") as f:
        f.truncate(size)
    if os.path.exists(path + ".lock"):          # left by a Bochs that was killed
        os.remove(path + ".lock")
    return size // _CYLINDER


def private_image(src, dst, cmdline=None, whole_cylinders=False):
    """Copy the disk image src to dst, optionally with a new kernel command line and padded
    to whole cylinders (for Bochs).  Returns the number of cylinders."""
    shutil.copyfile(src, dst)
    if cmdline is not None:
        fluke_image.set_cmdline(dst, cmdline)
    size = os.path.getsize(dst)
    cylinders = max(1, -(-size // _CYLINDER))
    if whole_cylinders:
        with open(dst, "r+b") as f:
            f.truncate(cylinders * _CYLINDER)
        if os.path.exists(dst + ".lock"):       # left by a Bochs that was killed
            os.remove(dst + ".lock")
    return cylinders


def qemu_argv(qemu="qemu-system-i386", image=None, kernel=None, initrd=None, append=None,
              display=False, serial="mon:stdio", debugcon=None, gdb=None, halt=False,
              qmp=None, icount=False, sleep=True, reset_log=None, pause_at_shutdown=False,
              swap=None, com2=None):
    """Return the argv that boots Fluke under QEMU.

    Boots the disk image, or with kernel= a Multiboot kernel (initrd=, append= its module and
    command line); swap is the second disk, the primary channel's slave (None: none).  serial and debugcon are QEMU character devices ("file:PATH",
    "mon:stdio").  gdb is a TCP port (int) or a Unix socket path (str); halt stops the CPU
    before its first instruction.  qmp is a Unix socket path for the QMP monitor.  icount
    counts time in guest instructions (sleep=False: idle time passes instantly).  reset_log
    logs CPU resets to that file, where QEMU writes "Triple fault".  A reset (a triple fault)
    shuts the machine down (-no-reboot); pause_at_shutdown pauses it there instead of
    exiting, so that it can still be asked how far it got.  com2, a TCP port (int) or a Unix
    socket path (str), is the second serial port, where the debugger monitor
    (monitors/debug) serves GDB; QEMU listens there without waiting for a client."""
    argv = [qemu, "-m", "128", "-no-reboot", "-net", "none",
            "-device", "isa-debug-exit,iobase=%#x,iosize=0x04" % EXIT_PORT]
    if image:
        argv += ["-drive", "file=%s,format=raw,if=ide,index=0,media=disk" % image]
    if swap:
        argv += ["-drive", "file=%s,format=raw,if=ide,index=1,media=disk" % swap]
    if kernel:
        argv += ["-kernel", kernel]
        if initrd:
            argv += ["-initrd", initrd]
        if append is not None:
            argv += ["-append", append]
    argv += ["-serial", serial]
    if isinstance(com2, int):
        argv += ["-serial", "tcp:127.0.0.1:%d,server=on,wait=off" % com2]
    elif com2:
        argv += ["-chardev", "socket,id=com2,path=%s,server=on,wait=off" % com2,
                 "-serial", "chardev:com2"]
    if not display:
        argv += ["-display", "none"]
    if debugcon:
        argv += ["-debugcon", debugcon]
    if icount:
        argv += ["-icount", "shift=0,sleep=%s" % ("on" if sleep else "off")]
    if isinstance(gdb, int):
        argv += ["-gdb", "tcp:127.0.0.1:%d" % gdb]     # not [::]: only this machine
    elif gdb:
        argv += ["-chardev", "socket,id=gdb,path=%s,server=on,wait=off" % gdb,
                 "-gdb", "chardev:gdb"]
    if halt:
        argv += ["-S"]
    if qmp:
        argv += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    if reset_log:
        argv += ["-d", "cpu_reset", "-D", reset_log]
    if pause_at_shutdown:
        argv += ["-action", "shutdown=pause"]
    return argv


def bochsrc(image, cylinders, com1, log, headless=True, com1_term=None, swap=None, com2=None,
            com2_client=False):
    """Return the text of a bochsrc that boots the disk image (padded to whole cylinders),
    with swap (a make_swap disk, or None) as the primary channel's slave.

    com1 is a file that receives the serial console, or None for a terminal: com1_term (a
    pty's path), else /dev/tty.  headless
    uses the RFB display without waiting for a viewer (Debian's Bochs has no `nogui`);
    otherwise the wx window.  Port 0xE9 goes to Bochs's standard output; a triple fault stops
    Bochs ("exception with no resolution") instead of resetting the machine.  com2, a TCP
    port, is the second serial port (the debugger monitor's GDB line) as a socket server on
    127.0.0.1: Bochs waits for a client to connect before it starts the machine; with
    com2_client, Bochs connects to a server already listening there as it starts (the
    grader's relay, gradelib/relay.py)."""
    if com1:
        serial = "com1: enabled=1, mode=file, dev=%s" % com1
    else:
        serial = "com1: enabled=1, mode=term, dev=%s" % (com1_term or "/dev/tty")
    display = 'rfb, options="timeout=0"' if headless else "wx"
    return "\n".join([
        "megs: 128",
        "romimage: file=%s" % BOCHS_BIOS,
        "vgaromimage: file=%s" % VGA_BIOS,
        "ata0-master: type=disk, path=%s, mode=flat, cylinders=%d, heads=%d, spt=%d"
        % (image, cylinders, _HEADS, _SPT)] + ([
        "ata0-slave: type=disk, path=%s, mode=flat, cylinders=%d, heads=%d, spt=%d"
        % (os.path.abspath(swap), os.path.getsize(swap) // _CYLINDER, _HEADS, _SPT)]
        if swap else []) + [
        "boot: disk",
        "clock: sync=none, time0=0",
        "cpu: ips=%d, reset_on_triple_fault=0" % BOCHS_IPS,
        serial,
    ] + (["com2: enabled=1, mode=socket-%s, dev=127.0.0.1:%d" % (
        "client" if com2_client else "server", com2)] if com2 else []) + [
        "port_e9_hack: enabled=1",
        "display_library: %s" % display,
        "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy",
        "speaker: enabled=0",
        "log: %s" % log,
        "",
    ])


def bochs_argv(rc, commands=None, bochs="bochs"):
    """Return the argv that runs Bochs on the bochsrc rc.  Debian's Bochs is built with its
    internal debugger, which stops before the first instruction: commands is a file of
    debugger commands to run from there (e.g. "c"), or None to debug by hand."""
    argv = [bochs, "-q", "-f", rc]
    if commands:
        argv += ["-rc", commands]
    return argv


def bochs_commands(limit=None):
    """Debugger commands for a non-interactive Bochs run: stop once limit counts have passed
    (a time breakpoint) or at Ctrl-C, then quit; without a limit, just run."""
    if limit is None:
        return "c\nq\n"
    return "sba %d\nc\nq\n" % limit


def _run_dir(image):
    path = os.path.join(os.path.dirname(os.path.abspath(image)), "run")
    os.makedirs(path, exist_ok=True)
    return path


class Busy(Exception):
    """Another emulator of the same kind runs in this tree."""


class TreeLock:
    """run/NAME.lock, held (flock) while an interactive emulator runs in this tree; it
    holds the pid of the process to stop.  A second run would rewrite the first one's
    private image, so it is refused instead."""

    def __init__(self, run_dir, name):
        self.name = name
        self.path = os.path.join(run_dir, name.lower() + ".lock")
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid = os.read(self.fd, 32).decode(errors="replace").strip() or "?"
            os.close(self.fd)
            raise Busy("another %s runs in this tree (pid %s, %s): quit it first (%s in its "
                       "terminal, or kill %s)" % (name, pid, self.path, "Ctrl-a x" if
                                                 name == "QEMU" else "Ctrl-a x or Ctrl-C", pid))
        self.holder(os.getpid())

    def holder(self, pid):
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, b"%d\n" % pid, 0)

    def release(self):
        os.close(self.fd)       # drops the flock


def claim_swap(swap, image, name):
    """The swap disk an interactive run of emulator name attaches: swap itself (made if
    missing) while no other emulator of this tree has it (run/swap.lock, held on the
    returned descriptor until the run ends), else a fresh private one, run/NAME-swap.img.
    Returns (path, descriptor or None); (None, None) for swap "none"."""
    if swap == "none":
        return None, None
    run = _run_dir(image)
    fd = os.open(os.path.join(run, "swap.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        private = os.path.join(run, name.lower() + "-swap.img")
        make_swap(private, os.path.getsize(swap) if os.path.exists(swap) else SWAP_BYTES)
        print("*** %s is in use by another emulator in this tree; this %s gets a fresh swap "
              "disk of its own, %s" % (swap, name, os.path.relpath(private)), flush=True)
        return private, None
    if not os.path.exists(swap):
        make_swap(swap)
    elif os.path.exists(swap + ".lock"):        # left by a Bochs that was killed
        os.remove(swap + ".lock")
    return swap, fd


# --- The GDB port --------------------------------------------------------------------
GDB_PORT_BASE, GDB_PORT_SPAN = 26000, 4000


def preferred_gdb_port(uid=None):
    """Where this user's search for a free port starts: 26000 + uid % 4000."""
    return GDB_PORT_BASE + (os.getuid() if uid is None else uid) % GDB_PORT_SPAN


def port_free(port):
    """Whether a listener could bind port on 127.0.0.1 and on [::] (when this host has
    IPv6): taken on either, a gdb that says localhost might reach someone else's."""
    for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::")):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
        except OSError:
            continue                                    # no IPv6 here
        with s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as QEMU does
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                s.bind((address, port))
                s.listen(1)
            except OSError as e:
                if e.errno == errno.EADDRINUSE or family == socket.AF_INET:
                    return False
    return True


def choose_gdb_port(start=None, tries=200, free=port_free):
    """The first free port from start (default: this user's) on, wrapping inside
    26000..29999."""
    start = preferred_gdb_port() if start is None else start
    for i in range(tries):
        port = GDB_PORT_BASE + (start - GDB_PORT_BASE + i) % GDB_PORT_SPAN
        if free(port):
            return port
    raise OSError("no free port for GDB among %d from %d: set GDBPORT in conf/local.mk"
                  % (tries, start))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def running_gdb_port(path):
    """The port in the port file path ("PORT PID") while that QEMU runs, else None."""
    try:
        with open(path) as f:
            port, pid = (int(w) for w in f.read().split()[:2])
    except (OSError, ValueError):
        return None
    return port if _alive(pid) else None


def _main_gdbport(argv):
    p = argparse.ArgumentParser(prog="emulator.py gdbport",
                                description="The GDB port of this tree's QEMU.")
    p.add_argument("port", nargs="?", type=int, help="GDBPORT, when it is set")
    p.add_argument("--gdbport-file", default="obj/gdbport")
    p.add_argument("--running", action="store_true",
                   help="fail unless a QEMU waits for GDB (or PORT is given)")
    args = p.parse_args(argv)
    port = running_gdb_port(args.gdbport_file) or args.port
    if port is None and args.running:
        sys.stderr.write("emulator.py: no QEMU is waiting for GDB in this tree (%s is missing "
                         "or stale): start 'make qemu-nox-gdb' (or qemu-gdb) in another "
                         "terminal first\n" % args.gdbport_file)
        return 1
    print(port or choose_gdb_port())
    return 0


# --- Running by hand -----------------------------------------------------------------
class Terminal:
    """The settings of the terminal on stdin, put back by restore() however a run ends."""

    def __init__(self):
        self.fd = sys.stdin.fileno() if sys.stdin and sys.stdin.isatty() else None
        self.saved = termios.tcgetattr(self.fd) if self.fd is not None else None

    def raw(self):
        if self.fd is not None:
            tty.setraw(self.fd)

    def restore(self):
        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)      # SIGTERM, SIGHUP: unwind, so finally blocks run


def qemu_failure(qemu, lines, port=None, chosen=False):
    """What QEMU's error lines (QEMU: message) say went wrong, with the fix; None when it
    printed no error (only warnings, or nothing)."""
    prefix = os.path.basename(qemu) + ":"
    errors = [l for l in lines if l.startswith(prefix) and "warning:" not in l]
    if not errors:
        return None
    text = " ".join(errors)
    if port is not None and ("available port" in text or "in use" in text):
        return ("QEMU could not listen for GDB on 127.0.0.1:%d: another program has that "
                "port. %s" % (port, "It was free a moment ago: run the command again and "
                              "another free port is picked." if chosen else
                              "Set GDBPORT to another port (make GDBPORT=N, or in "
                              "conf/local.mk), or unset it and a free one is picked."))
    if re.search(r'Failed to (get "[^"]*" )?lock', text):
        m = re.search(r"using the image \[(.*)\]", " ".join(lines))
        image = m.group(1) if m else "its disk image"
        return ("another QEMU is using %s (QEMU said: %s): quit that QEMU (Ctrl-a x in its "
                "terminal, or kill the pid 'fuser %s' prints), then run again" % (
                    image, errors[0][len(prefix):].strip(), image))
    return "QEMU could not start: %s" % errors[0]


def _qemu_run(argv, lock, port_file=None, port=None):
    """Run QEMU with its stderr copied to ours and kept; the port file holds port and
    QEMU's pid while it runs.  Returns (status, the lines QEMU wrote to stderr)."""
    kept = []
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE)
    lock.holder(proc.pid)
    if port_file:
        with open(port_file, "w") as f:
            f.write("%d %d\n" % (port, proc.pid))

    def copy():
        for line in proc.stderr:
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()
            kept.append(line.decode(errors="replace").rstrip("\r\n"))
    t = threading.Thread(target=copy, daemon=True)
    t.start()
    try:
        while True:
            try:
                status = proc.wait()
                break
            except KeyboardInterrupt:       # Ctrl-C in a window run: QEMU quits by itself
                continue
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        t.join(5)
        if port_file and running_gdb_port(port_file) in (port, None):
            try:
                os.remove(port_file)
            except OSError:
                pass
    return status, kept


def _main_qemu(args, lock):
    image = args.image
    if args.cmdline is not None:
        image = os.path.join(_run_dir(args.image), os.path.basename(args.image))
        private_image(args.image, image, args.cmdline)
    qemu = os.environ.get("QEMU", "qemu-system-i386")
    chosen = args.gdb == "auto"
    term = Terminal()           # QEMU -nox restores it itself, unless it is killed
    try:
        return _qemu_attempts(args, image, qemu, chosen, lock)
    finally:
        term.restore()


def _qemu_attempts(args, image, qemu, chosen, lock):
    for attempt in range(3):
        port = None
        if args.gdb is not None:
            port = choose_gdb_port() if chosen else int(args.gdb)
        com2 = None
        if args.com2 is not None:
            com2 = choose_gdb_port(preferred_gdb_port() + 1,
                                   free=lambda p: p != port and port_free(p)) \
                if args.com2 == "auto" else int(args.com2)
        argv = qemu_argv(qemu, image=image, display=not args.nox, gdb=port,
                         halt=port is not None, swap=args.swap_path, com2=com2)
        if args.print:
            print(" ".join(shlex.quote(a) for a in argv))
            return 0
        if port is not None:
            taken = "" if not chosen or port == preferred_gdb_port() else \
                " (%d is taken)" % preferred_gdb_port()
            print("*** GDB port %d%s: 'make gdb' connects to 127.0.0.1:%d" % (port, taken, port),
                  flush=True)
        if com2 is not None:
            print("*** COM2 (the debugger monitor's GDB line) on 127.0.0.1:%d: 'make gdb-user "
                  "PROG=...' connects to it" % com2, flush=True)
            with open(args.com2port_file, "w") as f:
                f.write("%d %d\n" % (com2, os.getpid()))
        status, lines = _qemu_run(argv, lock, args.gdbport_file if port else None, port)
        problem = qemu_failure(qemu, lines, port, chosen) if status == 1 else None
        if problem and chosen and "listen for GDB" in problem and attempt < 2:
            continue                        # someone took the port since: pick again
        break
    if problem:
        sys.stderr.write("emulator.py: %s\n" % problem)
        return 2
    rc = run_status("qemu", status)
    return say_end(rc if status > 0 and status & 1 else None, rc)


QUIT_KEYS = b"\x03"         # Ctrl-C; and Ctrl-a x, as in QEMU
ESCAPE = b"\x01"


def _bridge(master, proc, term):
    """Copy the pty master to stdout and stdin to it until Bochs ends or the user quits
    (Ctrl-C, or Ctrl-a x; Ctrl-a Ctrl-a sends one Ctrl-a).  True if the user quit."""
    inputs = [master] + ([term.fd] if term.fd is not None else [])
    escaped = False
    while proc.poll() is None:
        ready = select.select(inputs, [], [], 0.2)[0]
        if master in ready:
            try:
                data = os.read(master, 4096)
            except OSError:                 # EIO: Bochs closed its side
                data = b""
            if not data:
                inputs.remove(master)
            os.write(sys.stdout.fileno(), data)
        if term.fd is not None and term.fd in ready:
            out = b""
            for b in os.read(term.fd, 1024):
                b = bytes([b])
                if escaped:
                    escaped = False
                    if b in b"xX":
                        return True
                    out += b if b == ESCAPE else ESCAPE + b
                elif b == ESCAPE:
                    escaped = True
                elif b in QUIT_KEYS:
                    return True
                else:
                    out += b
            if out:
                os.write(master, out)
    return False


def _stop_bochs(proc):
    """Stop Bochs from outside: SIGINT brings its debugger back, which runs the next command
    of the rc file (q); if it does not quit, it is killed."""
    for sig, wait in ((signal.SIGINT, 5), (signal.SIGTERM, 2), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            pass


def _main_bochs(args, lock):
    run = _run_dir(args.image)
    image = os.path.join(run, "bochs-" + os.path.basename(args.image))
    cylinders = private_image(args.image, image, args.cmdline, whole_cylinders=True)
    rc, cmds = os.path.join(run, "bochsrc"), os.path.join(run, "bochs-commands")
    records, messages = (os.path.join(run, n) for n in ("bochs-records.txt",
                                                       "bochs-messages.txt"))
    headless = args.nox or not os.environ.get("DISPLAY")
    bridged = not args.debug and not args.print
    master = slave = None
    if bridged:
        master, slave = pty.openpty()
    with open(cmds, "w") as f:
        f.write(bochs_commands())
    com2 = None
    if args.com2 is not None:
        com2 = choose_gdb_port(preferred_gdb_port() + 1) if args.com2 == "auto" else int(args.com2)
        print("*** COM2 (the debugger monitor's GDB line) on 127.0.0.1:%d: Bochs starts once "
              "'make gdb-user PROG=...' connects to it" % com2, flush=True)
        with open(args.com2port_file, "w") as f:
            f.write("%d %d\n" % (com2, os.getpid()))
    with open(rc, "w") as f:
        f.write(bochsrc(image, cylinders, None, os.path.join(run, "bochs.log"), headless,
                        com1_term=os.ttyname(slave) if bridged else None,
                        swap=args.swap_path, com2=com2))
    argv = bochs_argv(rc, None if args.debug else cmds, os.environ.get("BOCHS", "bochs"))
    if args.print:
        print(" ".join(shlex.quote(a) for a in argv))
        return 0
    term = Terminal()
    try:
        if not bridged:         # its own debugger, in this terminal
            return run_status("bochs", subprocess.call(argv))
        with open(records, "wb") as out, open(messages, "wb") as err:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)
        lock.holder(proc.pid)
        term.raw()
        try:
            quit_ = _bridge(master, proc, term)
        except KeyboardInterrupt:           # stdin is no terminal: Ctrl-C reached us
            quit_ = True
        finally:
            _stop_bochs(proc)
        status = proc.wait()
    finally:
        term.restore()
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)
    print("\r\n*** Bochs %s; its port 0xE9 output (the records) is in %s" % (
        "quit" if quit_ else "ended", os.path.relpath(records)))
    if quit_:
        return 0
    with open(records, errors="replace") as f:
        end = re.findall(r"FLUKE - END status=(\d+)", f.read())
    if end:                             # the kernel shut down: its status, as under QEMU
        return say_end(int(end[-1]), int(end[-1]))
    with open(messages, errors="replace") as f:
        tail = f.read().splitlines()[-5:]
    sys.stderr.write("emulator.py: Bochs stopped (status %d) with no END record from the "
                     "kernel; its last messages (%s):\n%s\n" % (
                         status, os.path.relpath(messages), "\n".join(tail)))
    return status or 1


def main(argv):
    if argv[:1] == ["gdbport"]:
        return _main_gdbport(argv[1:])
    if argv[:1] == ["swap"] and len(argv) == 2:
        make_swap(argv[1])
        return 0
    p = argparse.ArgumentParser(description="Boot Fluke under QEMU or Bochs.")
    p.add_argument("emulator", choices=["qemu", "bochs"])
    p.add_argument("--image", default="obj/fluke.img")
    p.add_argument("--cmdline", help="boot a private copy of the image with this command line")
    p.add_argument("--swap", help="the second disk, the root's Block (default: swap.img next "
                   "to the image, made if missing; none: no second disk)")
    p.add_argument("--nox", action="store_true", help="no window: the console in the terminal")
    p.add_argument("--gdb", metavar="PORT", help="QEMU: halt, wait for GDB on PORT (or auto: a "
                   "free port)")
    p.add_argument("--gdbport-file", default="obj/gdbport",
                   help="QEMU: where the GDB port is kept while QEMU runs")
    p.add_argument("--com2", metavar="PORT", help="COM2 on a TCP port (or auto: a free one), "
                   "for the debugger monitor's GDB line")
    p.add_argument("--com2port-file", default="obj/com2port",
                   help="where the COM2 port is kept while the emulator runs")
    p.add_argument("--debug", action="store_true", help="Bochs: stop in its debugger")
    p.add_argument("--print", action="store_true", help="print the command, do not run it")
    args = p.parse_args(argv)
    if args.gdb not in (None, "auto") and not args.gdb.isdigit():
        p.error("--gdb takes a port number or auto, not %r" % args.gdb)
    if args.com2 not in (None, "auto") and not args.com2.isdigit():
        p.error("--com2 takes a port number or auto, not %r" % args.com2)
    if not os.path.exists(args.image):
        sys.stderr.write("emulator.py: %s does not exist yet; run 'make' first\n" % args.image)
        return 1
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)
    try:
        lock = TreeLock(_run_dir(args.image), "QEMU" if args.emulator == "qemu" else "Bochs")
    except (Busy, OSError) as e:
        sys.stderr.write("emulator.py: %s\n" % e)
        return 1
    swap_fd = None
    try:
        swap = args.swap or os.path.join(os.path.dirname(args.image), "swap.img")
        args.swap_path, swap_fd = claim_swap(swap, args.image, lock.name)
        return (_main_qemu if args.emulator == "qemu" else _main_bochs)(args, lock)
    except FileNotFoundError as e:
        if e.filename not in (os.environ.get("QEMU", "qemu-system-i386"),
                              os.environ.get("BOCHS", "bochs")):
            sys.stderr.write("emulator.py: %s\n" % e)
            return 1
        sys.stderr.write("emulator.py: %s is not installed; run 'make doctor'\n" % e.filename)
        return 127
    except (fluke_image.ImageError, OSError) as e:
        sys.stderr.write("emulator.py: %s\n" % e)
        return 1
    finally:
        if swap_fd is not None:
            os.close(swap_fd)
        lock.release()


# What the kernel's END status=N means (handouts/boot.md, section 5).
END_MEANING = {1: "a kernel panic (its report is above)", 2: "its budget ran out",
               3: "the first task exited with an error (the root's message above says "
                  "which program and its exit status)",
               4: "a deadlock: no thread could ever run again"}


def say_end(end, rc):
    """After an interactive run: say what a failing END status end (None: the kernel wrote
    none) means, since make only shows the number; returns rc."""
    if end:
        print("\r\n*** the kernel ended with status %d: %s" % (
            end, END_MEANING.get(end, "unknown")), flush=True)
    return rc


def run_status(emulator, rc):
    """The exit status of an interactive run: the kernel's END status (0: a clean
    shutdown) when the emulator reports it, so `make qemu-nox` succeeds when the system
    shut down cleanly. QEMU exits with (v << 1) | 1 for isa-debug-exit value v; Bochs
    quits with 1 from its debugger after the kernel's shutdown request."""
    if emulator == "qemu" and rc > 0 and rc % 2 == 1:
        return rc >> 1
    if emulator == "bochs" and rc == 1:
        return 0
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
