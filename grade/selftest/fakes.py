"""The self-tests' fake kernel (fake_kernel.S), built once per process into a temporary
directory, and a helper that grades a test booting it in one of its modes."""
import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import types

from gradelib import Boot, Failure, Passed
from gradelib.declare import Test
from gradelib.runner import run_test

HERE = os.path.dirname(os.path.abspath(__file__))
_lock = threading.Lock()
_built = {}


def _tmp():
    if "tmp" not in _built:
        _built["tmp"] = tempfile.mkdtemp(prefix="fluke-selftest-")
        atexit.register(shutil.rmtree, _built["tmp"], True)
    return _built["tmp"]


def kernel():
    """The path of the fake kernel ELF file, built on first use."""
    with _lock:
        if "kernel" not in _built:
            out = os.path.join(_tmp(), "fake_kernel")
            gcc = subprocess.run(["gcc", "-m32", "-nostdlib", "-ffreestanding", "-static",
                                  "-Wl,--build-id=none", "-T",
                                  os.path.join(HERE, "fake_kernel.ld"), "-o", out,
                                  os.path.join(HERE, "fake_kernel.S")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if gcc.returncode != 0:
                raise Failure("could not build the fake kernel:\n" + gcc.stdout.decode())
            _built["kernel"] = out
        return _built["kernel"]


def config():
    """A grader configuration for fake runs: tools from $PATH (or $QEMU, $GDB), artifacts
    in the temporary directory."""
    return types.SimpleNamespace(
        root=os.path.dirname(os.path.dirname(HERE)), image=None, kernel=kernel(), bootfs=None,
        qemu=os.environ.get("QEMU", "qemu-system-i386"), gdb=os.environ.get("GDB", "gdb"),
        bochs="bochs", emu="qemu", artifacts=os.path.join(_tmp(), "artifacts"))


def fake_test(mode, name=None, expect=None, **options):
    """A test that boots the fake kernel in mode and expects PASS fake (and End(0))."""
    return Test(name or "fake-" + mode, points=options.pop("points", 1),
                boot=Boot(kernel=kernel(), keys=["fake=" + mode]),
                expect=[Passed("fake")] if expect is None else expect, **options)


def workdir(name):
    """A fresh artifacts directory: self-tests run in parallel, often with one test name."""
    os.makedirs(config().artifacts, exist_ok=True)
    return tempfile.mkdtemp(prefix=name + "-", dir=config().artifacts)


def grade(mode, **options):
    """Grade fake_test(mode, ...) and return its Result."""
    test = fake_test(mode, **options)
    return run_test(test, config(), workdir(test.name))
