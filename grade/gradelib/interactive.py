"""Booting one test's exact configuration by hand: `make run-TEST` and `make grade-debug
TEST=name`.  The command line is the test's, with a fresh nonce and the same budget, and
the run uses the same -icount clock, so the kernel takes the same path as under the grader.

run:   the console in the terminal (QEMU: Ctrl-a x quits; Bochs: Ctrl-C quits).
debug: QEMU halted before its first instruction, its gdb stub on the given TCP port, and
       host gdb attached through .gdbinit (rendered by make for that port), so the kernel's
       symbols, usersym, ubreak and the Fluke commands are there (tools/gdb/fluke.py); the
       console and gdb share the terminal.
       Bochs has no gdb stub: it stops in its own debugger instead ("help" lists commands).
Records written to port 0xE9 are printed when QEMU ends; Bochs prints them as they come.
"""
import os
import secrets
import signal
import socket
import subprocess
import time

import emulator

from . import bounded
from .bochs import bochs_budget


def boot_by_hand(test, config, debug=False, gdbport=None, gdbinit=None):
    """Returns 0 when the kernel shut down cleanly (or gdb was quit), else non-zero."""
    if not test.boots:
        print("%s does not boot a machine; it runs host commands (see grade/lab%s.py)"
              % (test.name, test.lab))
        return 0
    if test.own_machines:
        print("%s boots its machines itself (a function in grade/lab%s*.py), so there is no one\n"
              "configuration to boot by hand. What it does:\n  %s\n"
              "Each run of it leaves its consoles, records and transcripts in %s/ (make grade\n"
              "GRADEFLAGS=%s runs it alone); boot the same stack yourself with make qemu-nox\n"
              "STACK=... PROG=... (handouts/boot.md)."
              % (test.name, test.lab, " ".join((test.doc or "(no description)").split()),
                 os.path.join(config.artifacts, test.name), test.name))
        return 2
    workdir = os.path.join(config.artifacts, test.name)
    os.makedirs(workdir, exist_ok=True)
    nonce = secrets.token_hex(8)
    records = os.path.join(workdir, "records.txt")
    if os.path.exists(records):
        os.remove(records)
    if (test.emulator or config.emu) == "bochs":
        status = _bochs(test, config, workdir, nonce, debug)
    else:
        status = _qemu(test, config, workdir, nonce, debug, gdbport, gdbinit)
    if os.path.exists(records):
        text = bounded.read_text(records)
        print("\nrecords (port 0xE9), nonce %s:\n%s" % (nonce, text.rstrip() or "(none)"))
    return status


def _qemu(test, config, workdir, nonce, debug, gdbport, gdbinit):
    boot = test.boot
    if debug and gdbport is None:   # GDBPORT unset: the first free port (tools/emulator.py)
        gdbport = emulator.choose_gdb_port()
    cmdline = boot.cmdline(nonce, test.budget)
    options = dict(serial="stdio" if debug else "mon:stdio", icount=True, sleep=False,
                   debugcon="file:" + os.path.join(workdir, "records.txt"),
                   gdb=gdbport if debug else None, halt=debug)
    if boot.multiboot:
        argv = emulator.qemu_argv(config.qemu, kernel=boot.kernel_path(config),
                                  initrd=boot.initrd_path(config), append=cmdline, **options)
    else:
        image = os.path.join(workdir, "fluke.img")
        emulator.private_image(config.image, image, cmdline)
        argv = emulator.qemu_argv(config.qemu, image=image, **options)
    print("%s: %s" % (test.name, " ".join(argv)))
    if not debug:
        print("(Ctrl-a x quits QEMU)")
        status = subprocess.call(argv)
        if status & 1:
            print("QEMU exited with status %d: the kernel wrote %d to port 0xf4%s" % (
                status, status >> 1, " (a clean shutdown)" if status == 1 else ""))
            return status >> 1
        print("QEMU exited with status %d%s" % (status, " (a triple fault?)" if status == 0
                                                  else ""))
        return status or 1
    print("GDB port %d" % gdbport)
    if not os.path.isfile(gdbinit):
        print("%s is missing: make grade-debug renders it (make .gdbinit)" % gdbinit)
        return 1
    if _listening(gdbport):
        print("port %d is taken: is another QEMU still running?  Stop it (e.g. kill its pid "
              "from 'ss -ltnp sport = :%d'), or pick another port with GDBPORT=" % (
                  gdbport, gdbport))
        return 1
    qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while not _listening(gdbport) and qemu.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    kernel = boot.kernel_path(config)
    gdb = [config.gdb, "-n", "-q", "-x", gdbinit]
    if kernel != config.kernel:         # the test boots a kernel of its own
        gdb += ["-ex", "symbol-file " + kernel]
    gdb += ["-ex", "echo \\nStopped before the first instruction (the BIOS reset vector). "
                   "Try: break <kernel function>, ubreak hello main, continue; then whereami, "
                   "fluke-threads (help ubreak, help whereami).\\n"]
    print(" ".join(gdb))
    ignore = signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is gdb's
    try:
        status = subprocess.call(gdb)
    finally:
        signal.signal(signal.SIGINT, ignore)
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
    print("gdb exited; QEMU stopped")
    return status


def _bochs(test, config, workdir, nonce, debug):
    image = os.path.join(workdir, "fluke.img")
    cmdline = test.boot.cmdline(nonce, bochs_budget(test.budget, test.console_need))
    cylinders = emulator.private_image(config.image, image, cmdline, whole_cylinders=True)
    console = os.path.join(workdir, "console.txt") if debug else None
    rc = os.path.join(workdir, "bochsrc")
    commands = os.path.join(workdir, "bochs-commands")
    with open(rc, "w") as f:
        f.write(emulator.bochsrc(image, cylinders, console, os.path.join(workdir, "bochs.log")))
    with open(commands, "w") as f:
        f.write(emulator.bochs_commands())
    argv = emulator.bochs_argv(rc, None if debug else commands, config.bochs)
    print("%s: %s\n%s" % (test.name, " ".join(argv), "(console: %s)" % console if debug else
                          "(Ctrl-C quits Bochs; records appear among its output)"))
    return subprocess.call(argv)


def _listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
