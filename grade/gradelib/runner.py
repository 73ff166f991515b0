"""Running tests: one at a time (run_test), or all of them in parallel with their
dependencies (run_all), and rerunning failures to tell a deterministic failure from a race.

Each test gets its own machines, nonce, sockets and temporary directory, and keeps its
artifacts (console, records, command lines) in <artifacts>/<test name>/.
"""
import concurrent.futures
import contextlib
import os
import shutil
import time
import traceback

from . import machine, stop
from .bochs import NO_GDB_STUB
from . import layers
from .context import Context
from .errors import Failure, Skip
from .expect import End, NoConsole, Record

PASS, FAIL, SKIP = "pass", "fail", "skip"


class Result:
    def __init__(self, test, status, reason=""):
        self.test = test
        self.status = status
        self.reason = reason        # the headline of a failure or skip
        self.mismatches = []        # (what was expected, what happened instead)
        self.parts = []             # (name, points, score, why not or None)
        self.score = 0
        self.seconds = 0.0
        self.run = None             # the Run of its (last) machine, if it booted one
        self.workdir = None
        self.flaky = ""             # what reruns found
        self.ran = True             # False: not run, since a test it needs failed
        self.need = None            # (counts, console characters) of its longest run

    @property
    def name(self):
        return self.test.name


def _positive(expectations):
    """Whether expectations hold evidence the run produced (a record, a console line), not
    only the absence of something, which a run cut short also shows."""
    return any(not isinstance(e, (NoConsole, End)) and
               not (isinstance(e, Record) and e.count == 0) for e in expectations)


def _judge(result, test, run):
    """Score a declared test on the evidence of its run.  A failure's headline is how the
    run ended when that was wrong (a panic, a timeout, a triple fault), else the first
    expectation that failed.  A part scores when its expectations and the test's common
    ones hold, but for how the run ended: a part whose evidence arrived (its PASS record)
    keeps its points when the run then ends badly (status 3, a fault, a timeout)."""
    def failures(expectations):
        found = [(e, e.check(run)) for e in expectations]
        return [(e, why) for e, why in found if why is not None]
    gate = failures(test.expect)
    common = [(e, why) for e, why in gate if not isinstance(e, End)]
    everything = list(gate)
    for part in test.parts:
        failed = failures(part.expect)
        everything += failed
        why = "; ".join("expected %s: got %s" % (e.describe(), w) for e, w in failed) or (
            "the test's common expectations failed" if common else None)
        if why is None and gate and not _positive(part.expect):
            why = "the run ended badly, and the part shows nothing the run did"
        result.parts.append((part.name, part.points, 0 if why else part.points, why))
    result.mismatches = [(e.describe(), why) for e, why in everything]
    result.score = sum(p[2] for p in result.parts) if test.parts else (
        0 if gate else test.points)
    result.status = FAIL if everything else PASS
    if everything:
        ends = [why for e, why in everything if isinstance(e, End)]
        result.reason = ends[0] if ends else "expected %s: got %s" % result.mismatches[0]


def _judge_function(result, test, context):
    """Score a @check test that returned without failing: by its parts, if it has any."""
    missing = [p.name for p in test.parts if p.name not in context.part_results]
    if missing:
        raise Failure("the test never checked part(s) %s" % ", ".join(missing))
    for part in test.parts:
        why = context.part_results[part.name]
        result.parts.append((part.name, part.points, part.points if why is None else 0, why))
    result.score = sum(p[2] for p in result.parts) if test.parts else test.points
    failed = [p for p in result.parts if p[3] is not None]
    result.status = FAIL if failed else PASS
    if failed:
        result.reason = "part %r: %s" % (failed[0][0], failed[0][3])


def _keep_checked_parts(result, test, context):
    """A @check test that failed midway keeps the points of the parts it had checked."""
    result.parts = [(p.name, p.points, p.points if context.part_results.get(p.name, "") is None
                     else 0, context.part_results.get(p.name, "not checked: the test "
                                                      "stopped first"))
                    for p in test.parts]
    result.score = sum(p[2] for p in result.parts)


def run_test(test, config, workdir=None):
    """Run one test and return its Result; never raises (but for KeyboardInterrupt).  Its
    artifacts go to workdir, by default <artifacts>/<test name>."""
    config = layers.config_for(test, config)
    workdir = workdir or os.path.join(config.artifacts, test.name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    context = Context(test, config, workdir)
    result = Result(test, FAIL)
    result.workdir = workdir
    started = time.monotonic()
    try:
        if test.gdb and context.emulator == "bochs":
            raise Skip(NO_GDB_STUB)
        if test.run:
            test.run(context)
            _judge_function(result, test, context)
        else:
            _judge(result, test, context.boot())
    except Skip as e:
        result.status, result.reason = SKIP, str(e)
    except Failure as e:
        result.status, result.reason, result.score = FAIL, str(e), 0
        if test.run:
            _keep_checked_parts(result, test, context)
    except Exception:
        result.status, result.score = FAIL, 0
        result.reason = "the grader itself failed (please report this):\n" + \
            traceback.format_exc().rstrip()
    finally:
        context.close()
    result.run = context.last_run()
    result.need = context.need()
    run = result.run
    if test.run and result.status == FAIL and run and run.outcome != machine.CRASH and \
            run.describe() not in result.reason:
        result.reason += "\n(meanwhile the machine ended: %s)" % run.describe()
    result.seconds = time.monotonic() - started
    return result


def _not_run(test, blocker):
    result = Result(test, SKIP if blocker.status == SKIP else FAIL)
    result.ran = False
    result.reason = "not run: it needs %s, which %s" % (
        blocker.name, "was skipped" if blocker.status == SKIP else "failed")
    return result


# How often the main thread, waiting for a test to finish, looks for a signal (stop.py).
WAKE_SECONDS = 0.2


@contextlib.contextmanager
def _workers(jobs):
    """A pool of jobs threads; if the grader is interrupted (a signal, stop.py) or fails,
    every emulator stops at once."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        yield pool
    except BaseException:
        stop.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def run_all(tests, config, jobs, report):
    """Run the tests, at most jobs at a time, each only after the tests it names in after=
    (those not selected are ignored).  Calls report(result) as each one finishes and returns
    the results in the order of tests."""
    names = {t.name for t in tests}
    waiting = list(tests)
    done, running = {}, {}
    with _workers(jobs) as pool:
        while waiting or running:
            ready = [t for t in waiting if all(done.get(n) for n in t.after if n in names)]
            for t in ready:
                waiting.remove(t)
                blocker = next((done[n] for n in t.after if n in names and
                                done[n].status != PASS), None)
                if blocker:
                    done[t.name] = _not_run(t, blocker)
                    report(done[t.name])
                else:
                    running[pool.submit(run_test, t, config)] = t
            if not running:
                if not ready:
                    raise ValueError("these tests wait for each other: " +
                                     ", ".join(t.name for t in waiting))
                continue
            finished, _ = concurrent.futures.wait(
                running, timeout=WAKE_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED)
            stop.check()        # a signal stopped the emulators: their tests did not fail
            for future in finished:
                result = future.result()
                done[running.pop(future).name] = result
                report(result)
    return [done[t.name] for t in tests]


def rerun_failures(results, config, times, jobs):
    """Rerun each test that failed (and ran) times more, each with a fresh nonce, and note
    in result.flaky whether it fails every time or only sometimes.  A test that failed
    without running (a test it needs failed) is not rerun: its flaky says so and why."""
    again = [r for r in results if r.status == FAIL and r.ran]
    for r in results:
        if r.status == FAIL and not r.ran:
            r.flaky = "not rerun: it never ran, since " + r.reason.split(": ", 1)[-1]
    with _workers(jobs) as pool:
        futures = {r.name: [pool.submit(_rerun, r, config, i + 1) for i in range(times)]
                   for r in again}
        statuses = {name: [f.result() for f in fs] for name, fs in futures.items()}
        stop.check()
    for r in again:
        failures = sum(1 for status in statuses[r.name] if status != PASS)
        if failures == times:
            r.flaky = "fails every time (%d of %d reruns): a deterministic failure" % (
                failures, times)
        else:
            r.flaky = "fails %d of %d reruns: likely a race (it depends on timing)" % (
                failures, times)


def _rerun(result, config, k):
    return run_test(result.test, config, os.path.join(result.workdir, "rerun-%d" % k)).status
