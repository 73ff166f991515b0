"""What a test function gets: `t` in `@check` tests.

    m = t.machine(gdb=True)        boot this test's configuration, halted, with a gdb stub
    m = t.machine(com2=True)       ... with COM2 on m.path("com2") (the debugger monitor)
    run = t.boot()                 boot it and wait for the end: a Run (machine.py)
    status, out = t.sh([...])      run a host command (env={"NAME": value or None})
    t.path_without("qemu-system-i386")   a PATH on which those programs are missing
    t.symbol("timer_intr")         a kernel symbol's address (from nm)
    t.expect(ok, "message")        fail the test (or the current part) unless ok
    with t.part("name"): ...       score that Part on whether the block fails

Every run gets a fresh random nonce (t.nonce), and every machine is stopped when the test
ends, whatever happens.
"""
import contextlib
import os
import secrets
import subprocess

from . import symbols
from .bochs import BochsMachine
from .errors import Failure
from .qemu import QemuMachine


def wall_limit(test, emulator):
    """The wall-clock safety net, in seconds: far more than any host needs (QEMU runs guests
    at 100-300 million instructions a second, Bochs at 50-100 million)."""
    if test.wall:
        return test.wall
    rate = 10e6 if emulator == "qemu" else 5e6
    return int(20 + test.budget / rate)


class Context:
    def __init__(self, test, config, workdir):
        self.test = test
        self.config = config
        self.workdir = workdir
        self.emulator = test.emulator or config.emu
        self.nonce = secrets.token_hex(8)
        self.machines = []
        self.part_results = {}      # part name -> None if it held, else why not

    def machine(self, boot=None, gdb=False, com2=False):
        """Start a machine for this test's configuration (or boot).  With gdb it waits,
        halted before its first instruction, for a debugger on its gdb stub.  With com2
        (QEMU) its second serial port is the Unix socket m.path("com2"), where the debugger
        monitor serves GDB; the guest may wait there for a debugger, so it is not taken for
        hung."""
        cls = QemuMachine if self.emulator == "qemu" else BochsMachine
        m = cls(self.config, boot or self.test.boot, self.nonce, self.test.budget,
                wall_limit(self.test, self.emulator), self.workdir, gdb=gdb or com2,
                halted=gdb, com2=com2)
        m.console_need = self.test.console_need
        self.machines.append(m)
        return m.start()

    def boot(self, boot=None):
        """Boot, wait for the run to end, and return its Run."""
        with self.machine(boot) as m:
            return m.wait()

    def last_run(self):
        """The Run of the last machine that finished, for reports, or None."""
        runs = [m.finished for m in self.machines if m.finished is not None]
        return runs[-1] if runs else None

    def need(self):
        """What this test's QEMU runs needed, for grade/budgets.txt: (the most counts any
        used after the kernel's start, the most console characters), or None."""
        runs = [m.finished for m in self.machines if m.finished is not None and
                m.emulator == "qemu" and m.finished.booted is not None]
        if not runs:
            return None
        return (max(r.used or 0 for r in runs),
                max(len(r.console) for r in runs))

    def sh(self, argv, env=None, timeout=120, input=None):
        """Run a host command in the top directory, in the grader's environment changed by
        env (a value of None removes that variable; make's own variables are always removed,
        so a nested make acts as one a student types), with input (text) as its standard
        input (default: none); returns (exit status, output)."""
        environment = {k: v for k, v in os.environ.items()
                       if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        for name, value in (env or {}).items():
            environment.pop(name, None)
            if value is not None:
                environment[name] = value
        try:
            stdin = {"stdin": subprocess.DEVNULL} if input is None else {"input": input.encode()}
            done = subprocess.run(argv, cwd=self.config.root, env=environment, **stdin,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        except FileNotFoundError:
            raise Failure("%s is not installed" % argv[0])
        except subprocess.TimeoutExpired:
            raise Failure("%s did not finish within %d s" % (" ".join(argv), timeout))
        out = done.stdout.decode("utf-8", "replace")
        with open(os.path.join(self.workdir, "command-output.txt"), "a") as f:
            f.write("$ %s\n%s\n[exit status %d]\n\n" % (" ".join(argv), out, done.returncode))
        return done.returncode, out

    def path_without(self, *programs):
        """A PATH of one directory holding a link to every program on this PATH but those."""
        farm = os.path.join(self.workdir, "path")
        os.makedirs(farm, exist_ok=True)
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            for name in (os.listdir(directory) if os.path.isdir(directory) else []):
                link, target = os.path.join(farm, name), os.path.join(directory, name)
                if name not in programs and not os.path.lexists(link) and \
                        os.access(target, os.X_OK) and not os.path.isdir(target):
                    os.symlink(target, link)
        return farm

    def symbol(self, name, kernel=None):
        return symbols.address(kernel or self.config.kernel, name)

    def expect(self, ok, message):
        if not ok:
            raise Failure(message)

    @contextlib.contextmanager
    def part(self, name):
        if name not in [p.name for p in self.test.parts]:
            raise ValueError("test %s has no part %r" % (self.test.name, name))
        try:
            yield
            self.part_results[name] = None
        except Failure as e:
            self.part_results[name] = str(e)

    def close(self):
        for m in self.machines:
            m.close()
