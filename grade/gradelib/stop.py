"""Stopping everything the grader started, however the grader ends.

Emulators run in sessions of their own (a Ctrl-C meant for gdb must not reach them), so no
signal sent to the grader reaches them: the grader stops them itself, on every path out.
  - SIGINT, SIGTERM and SIGHUP (once install() ran): the handler stops every emulator and
    helper at once and only notes the signal; the grader's main loop raises Stopped (a
    KeyboardInterrupt) at its next check(), so that runner.py's pool of workers leaves as
    on Ctrl-C.  The handler raises nothing itself: an exception raised wherever the main
    thread happens to be can strike inside a lock's critical section (concurrent.futures'
    own), and the pool's shutdown then waits for ever.  Further signals are ignored.
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

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_helpers = set()
_lock = threading.RLock()     # re-entrant: the signal handler runs in any thread's stead
_signalled = []                # the signal that stopped the grader, once one has


class Stopped(KeyboardInterrupt):
    """The grader got SIGINT, SIGTERM or SIGHUP."""

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
    _signalled.append(signum)
    stop_all()


def check():
    """For the grader's main thread, between waits: raise Stopped if a signal came."""
    if _signalled:
        raise Stopped(_signalled[0])


def install():
    """For the grader's main thread: SIGINT, SIGTERM and SIGHUP stop the grader (at its
    next check()), and nothing it started outlives it."""
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    atexit.register(stop_all)
