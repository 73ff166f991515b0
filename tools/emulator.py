#!/usr/bin/env python3
"""Emulator command lines for Fluke: the one place that knows QEMU's and Bochs's options.

The grader (grade/gradelib) builds every run from these functions, and the GNUmakefile's
interactive targets use the command line:

    emulator.py qemu  [--nox] [--gdb PORT] [--cmdline LINE] [--image IMG] [--print]
    emulator.py bochs [--nox] [--debug] [--cmdline LINE] [--image IMG] [--print]

With --cmdline the emulator boots a private copy of the image (next to it, in run/) with that
kernel command line; the image itself is never modified.  --print prints the command instead
of running it.  QEMU and Bochs are taken from $QEMU and $BOCHS when set.

Python 3 standard library only.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fluke_image  # noqa: E402  (lives next to this file)

# isa-debug-exit: the kernel writes v to this port and QEMU exits with status (v << 1) | 1.
EXIT_PORT = 0xF4

# Bochs runs at a fixed rate of 10^9 instructions per emulated second with `clock: sync=none`,
# so one time-stamp count is one instruction or one nanosecond of idle time, as under QEMU's
# `-icount shift=0`: budgets and timer rates mean the same on both emulators.
BOCHS_IPS = 1000000000

# Bochs's BIOS spends 3.03e9 counts (mostly idle waits) before the boot sector runs, where
# SeaBIOS under QEMU spends 9e6; Bochs budgets get this much on top.
BOCHS_BIOS_COUNTS = 3100000000

BOCHS_BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGA_BIOS = "/usr/share/vgabios/vgabios.bin"

# Bochs needs a flat disk image whose size is a whole number of cylinders.
_HEADS, _SPT = 16, 63
_CYLINDER = _HEADS * _SPT * 512


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
              qmp=None, icount=False, sleep=True, reset_log=None, pause_at_shutdown=False):
    """Return the argv that boots Fluke under QEMU.

    Boots the disk image, or with kernel= a Multiboot kernel (initrd=, append= its module and
    command line).  serial and debugcon are QEMU character devices ("file:PATH",
    "mon:stdio").  gdb is a TCP port (int) or a Unix socket path (str); halt stops the CPU
    before its first instruction.  qmp is a Unix socket path for the QMP monitor.  icount
    counts time in guest instructions (sleep=False: idle time passes instantly).  reset_log
    logs CPU resets to that file, where QEMU writes "Triple fault".  A reset (a triple fault)
    shuts the machine down (-no-reboot); pause_at_shutdown pauses it there instead of
    exiting, so that it can still be asked how far it got."""
    argv = [qemu, "-m", "128", "-no-reboot", "-net", "none",
            "-device", "isa-debug-exit,iobase=%#x,iosize=0x04" % EXIT_PORT]
    if image:
        argv += ["-drive", "file=%s,format=raw,if=ide,index=0,media=disk" % image]
    if kernel:
        argv += ["-kernel", kernel]
        if initrd:
            argv += ["-initrd", initrd]
        if append is not None:
            argv += ["-append", append]
    argv += ["-serial", serial]
    if not display:
        argv += ["-display", "none"]
    if debugcon:
        argv += ["-debugcon", debugcon]
    if icount:
        argv += ["-icount", "shift=0,sleep=%s" % ("on" if sleep else "off")]
    if isinstance(gdb, int):
        argv += ["-gdb", "tcp::%d" % gdb]
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


def bochsrc(image, cylinders, com1, log, headless=True):
    """Return the text of a bochsrc that boots the disk image (padded to whole cylinders).

    com1 is a file that receives the serial console, or None for the terminal.  headless
    uses the RFB display without waiting for a viewer (Debian's Bochs has no `nogui`);
    otherwise the wx window.  Port 0xE9 goes to Bochs's standard output; a triple fault stops
    Bochs ("exception with no resolution") instead of resetting the machine."""
    if com1:
        serial = "com1: enabled=1, mode=file, dev=%s" % com1
    else:
        serial = "com1: enabled=1, mode=term, dev=/dev/tty"
    display = 'rfb, options="timeout=0"' if headless else "wx"
    return "\n".join([
        "megs: 128",
        "romimage: file=%s" % BOCHS_BIOS,
        "vgaromimage: file=%s" % VGA_BIOS,
        "ata0-master: type=disk, path=%s, mode=flat, cylinders=%d, heads=%d, spt=%d"
        % (image, cylinders, _HEADS, _SPT),
        "boot: disk",
        "clock: sync=none, time0=0",
        "cpu: ips=%d, reset_on_triple_fault=0" % BOCHS_IPS,
        serial,
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


def _main_qemu(args):
    image = args.image
    if args.cmdline is not None:
        image = os.path.join(_run_dir(args.image), os.path.basename(args.image))
        private_image(args.image, image, args.cmdline)
    argv = qemu_argv(os.environ.get("QEMU", "qemu-system-i386"), image=image,
                     display=not args.nox, gdb=args.gdb, halt=args.gdb is not None)
    return argv, None


def _main_bochs(args):
    run = _run_dir(args.image)
    image = os.path.join(run, "bochs-" + os.path.basename(args.image))
    cylinders = private_image(args.image, image, args.cmdline, whole_cylinders=True)
    rc, cmds = os.path.join(run, "bochsrc"), os.path.join(run, "bochs-commands")
    headless = args.nox or not os.environ.get("DISPLAY")
    files = {rc: bochsrc(image, cylinders, None, os.path.join(run, "bochs.log"), headless),
             cmds: bochs_commands()}
    argv = bochs_argv(rc, None if args.debug else cmds, os.environ.get("BOCHS", "bochs"))
    return argv, files


def main(argv):
    p = argparse.ArgumentParser(description="Boot Fluke under QEMU or Bochs.")
    p.add_argument("emulator", choices=["qemu", "bochs"])
    p.add_argument("--image", default="obj/fluke.img")
    p.add_argument("--cmdline", help="boot a private copy of the image with this command line")
    p.add_argument("--nox", action="store_true", help="no window: the console in the terminal")
    p.add_argument("--gdb", type=int, metavar="PORT", help="QEMU: halt, wait for GDB on PORT")
    p.add_argument("--debug", action="store_true", help="Bochs: stop in its debugger")
    p.add_argument("--print", action="store_true", help="print the command, do not run it")
    args = p.parse_args(argv)
    if not os.path.exists(args.image):
        sys.stderr.write("emulator.py: %s does not exist yet; run 'make' first\n" % args.image)
        return 1
    try:
        cmd, files = (_main_qemu if args.emulator == "qemu" else _main_bochs)(args)
        for path, text in (files or {}).items():
            with open(path, "w") as f:
                f.write(text)
    except (fluke_image.ImageError, OSError) as e:
        sys.stderr.write("emulator.py: %s\n" % e)
        return 1
    if args.print:
        print(" ".join(shlex.quote(a) for a in cmd))
        return 0
    try:
        rc = subprocess.call(cmd)
    except FileNotFoundError:
        sys.stderr.write("emulator.py: %s is not installed; run 'make doctor'\n" % cmd[0])
        return 127
    return run_status(args.emulator, rc)


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
