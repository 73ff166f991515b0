"""Stopping everything the grader started, however the grader ends.

Emulators run in sessions of their own (a Ctrl-C meant for gdb must not reach them), so no
signal sent to the grader reaches them: the grader stops them itself, on every path out.
  - SIGINT raises KeyboardInterrupt; install() makes SIGTERM and SIGHUP raise Stopped, a
    KeyboardInterrupt too, so every place that stops the emulators on Ctrl-C (runner.py's
    pool of workers) does so on them; while it cleans up, further ones are ignored.
  - An exception in the grader itself, or a worker's, leaves the pool the same way.
  - At exit, whatever still runs is stopped (stop_all).
Helper processes of tests (gdb) are started through run() or passed to track(), so that
stop_all kills them with the emulators.  stop_all also removes every machine's temporary
directory (machine.kill_all); once it ran, no machine starts.
"""
import atexit
import signal
import subprocess
import threading

from . import machine

SIGNALS = (signal.SIGTERM, signal.SIGHUP)

_helpers = set()
_lock = threading.Lock()


class Stopped(KeyboardInterrupt):
    """The grader got SIGTERM or SIGHUP."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_status(interrupt):
    """The grader's exit status when interrupt (a KeyboardInterrupt) ended it: 128 + the
    signal's number, as a shell reports a process a signal ended."""
    return 128 + getattr(interrupt, "signum", signal.SIGINT)


def track(proc):
    with _lock:
        _helpers.add(proc)


def forget(proc):
    with _lock:
        _helpers.discard(proc)


def run(argv, timeout, **options):
    """subprocess.run(argv, timeout=timeout, **options), whose process stop_all kills; raises
    subprocess.TimeoutExpired after killing it."""
    with subprocess.Popen(argv, **options) as proc:
        track(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            forget(proc)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def stop_all():
    """Stop every emulator and helper process now, and remove the machines' directories."""
    machine.kill_all()
    with _lock:
        helpers = list(_helpers)
    for proc in helpers:
        if proc.poll() is None:
            proc.kill()


def _on_signal(signum, frame):
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


def install():
    """For the grader's main thread: SIGTERM and SIGHUP stop the grader as Ctrl-C does, and
    nothing it started outlives it."""
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    atexit.register(stop_all)
