"""Lab 1, exercise 4: the tracer (monitors/trace, handouts/lab1.md).

The tracer starts its child with its own port for every Common Protocol, forwards each
request and writes it, with its answer, as one console line `trace: CHILD Proto.op(args) ->
status`; everything it writes is a whole line starting with `trace: `, so the program's
output is the console without those lines, and these tests compare exactly that with the
output of the same program without a tracer.  The exact traces hold no address or other
word that changes between runs.
"""
import re

from gradelib import Boot, Console, End, NoConsole, Part, Record, check, test
from gradelib.errors import Failure

LAB = 1
TITLE = "The tracer"

EOL = r"\r?$"


def lines(run):
    """The console's lines after the kernel's `command line:` (which names the stack)."""
    text = run.console.replace("\r", "").split("\n")
    start = next((i + 1 for i, l in enumerate(text) if l.startswith("command line:")), 0)
    return [l for l in text[start:] if l]


def program_output(run):
    """The console without the tracer's lines: what the program (and the root) wrote."""
    return [l for l in lines(run) if not l.startswith("trace: ")]


def from_first_trace(run):
    """The console from the tracer's first line on."""
    got = lines(run)
    return got[next((i for i, l in enumerate(got) if l.startswith("trace: ")), len(got)):]


def same_lines(got, want, what):
    """Fail, showing the first difference, unless got is want."""
    if got == want:
        return
    for i, (g, w) in enumerate(zip(got + [None] * len(want), want + [None] * len(got))):
        if g != w:
            raise Failure("%s: line %d is %r, expected %r (%d lines, expected %d)" % (
                what, i + 1, g, w, len(got), len(want)))


HELLO_TRACE = [
    "trace: hello Parent.get(service=Console) -> ok",
    "hello from user space: hello a b (argc=3)",
    "trace: hello Console.write(len=28) -> ok",
    "trace: hello Console.write(len=2) -> ok",
    "trace: hello Console.write(len=2) -> ok",
    "trace: hello Console.write(len=10) -> ok",
    "trace: hello Parent.exit(status=0) -> ok",
    "trace: hello exited with status 0",
]

MEMTEST_TRACE = [
    "trace: memtest Parent.get(service=MemPool) -> ok",
    "trace: memtest MemPool.get(bytes=65536) -> ok, region",
    "trace: memtest Parent.get(service=Console) -> ok",
    "memtest: 8 pages, 0 bad words",
    "trace: memtest Console.write(len=30) -> ok",
    "trace: memtest Parent.exit(status=0) -> ok",
    "trace: memtest exited with status 0",
]


def exact_trace(name, points, program, args, want, doc):
    def run(t):
        r = t.boot()
        t.expect(r.end_status() == 0, "expected END status=0: " + r.describe())
        same_lines(from_first_trace(r), want, "the console from the first trace: line on")
    run.__doc__ = doc
    check(name, points=points,
          boot=Boot(monitors=["root", "trace"], program=program, args=args))(run)


exact_trace("trace-hello", 6, "hello", ["a", "b"], HELLO_TRACE,
            "hello a b under the tracer: its exact trace, each request after its answer, "
            "held while hello's line is unfinished, so no trace line splits it.")
exact_trace("trace-memtest", 5, "memtest", ["8"], MEMTEST_TRACE,
            "memtest 8 under the tracer: its exact trace, the region its malloc got passed "
            "through.")


# The same program output with and without the tracer, at depths 1 to 3 and under nest.
# A tracer above nest logs only Console and Parent requests: all of them would be every
# FileSystem READ of nest loading the next level, a hundred lines and more, which Bochs,
# which emulates the serial line's speed, takes minutes to print.
SAME_STACKS = [("d1", ["trace"]), ("d2", ["trace:console+parent", "nest"]),
               ("d2-under-nest", ["nest", "trace"]),
               ("d3", ["trace:console+parent", "nest", "trace"])]
for label, stack in SAME_STACKS:
    def same_output(stack=stack):
        @check("trace-same-output-%s" % label, points=3,
               boot=Boot(monitors=["root"] + stack, program="hello", args=["a", "b"]))
        def run(t):
            """hello a b and memtest 8 print the same lines under this stack as under the
            root alone once the trace: lines are taken out, and each level's tracer logged
            the program's Console writes (its own child's name for them: the program
            itself just above it, else the monitor between)."""
            for program, args in (("hello", ["a", "b"]), ("memtest", ["8"])):
                plain = t.boot(Boot(monitors=["root"], program=program, args=args))
                traced = t.boot(Boot(monitors=["root"] + stack, program=program,
                                     args=args))
                for r in (plain, traced):
                    t.expect(r.end_status() == 0, "%s: expected END status=0: %s" % (
                        program, r.describe()))
                same_lines(program_output(traced), program_output(plain),
                           "%s under stack=%s, without its trace: lines" % (
                               program, ",".join(stack)))
                writes = [l for l in lines(traced)
                          if re.match(r"trace: \S+ Console\.write\(len=\d+\) -> ok$", l)]
                tracers = len([m for m in stack if m.split(":")[0] == "trace"])
                t.expect(len(writes) >= tracers,
                         "%s: expected a trace: ... Console.write(len=N) -> ok line from "
                         "each of the %d tracers, got %d" % (program, tracers, len(writes)))
    same_output()

# The counts at exit, of every request, also of protocols not logged.
test("trace-summary",
     boot=Boot(monitors=["root", "trace:console+summary"], program="hello", args=["a", "b"]),
     doc="trace:console+summary logs only Console requests, counts them all, and writes "
         "the counts when hello ends, on the console and as METRIC trace.",
     parts=[Part("only-console", 2, [
                Console(r"^trace: hello Console\.write\(len=28\) -> ok" + EOL),
                NoConsole(r"^trace: hello Parent\.")]),
            Part("counts", 3, [
                Console(r"^trace: summary: requests=6 errors=0 malformed=0 exited=1 "
                        r"faulted=0" + EOL),
                Console(r"^trace: summary: Parent\.get=1" + EOL),
                Console(r"^trace: summary: Parent\.exit=1" + EOL),
                Console(r"^trace: summary: Console\.write=4" + EOL),
                Record("METRIC", r"^trace requests=6 errors=0 malformed=0 exited=1 "
                                 r"faulted=0$"),
                End(0)])])

# A child that faults: the library reports the fault and ends it, the tracer says how it
# ended, and the trace before it is all there.
test("trace-fault", points=5,
     boot=Boot(monitors=["root", "trace"], program="fault"),
     doc="fault under the tracer: its trace up to the fault, the fault's report, the "
         "child's end as faulted, and the tracer exits with its status.",
     expect=[Console(r"^trace: fault Parent\.get\(service=Console\) -> ok" + EOL),
             Console(r"^fault: about to fault \(write\)" + EOL),
             Console(r"^trace: fault Console\.write\(len=30\) -> ok" + EOL),
             Console(r"^trace: fault: Page Fault \(code 0x6\) at eip 0x[0-9a-f]{8}, "
                     r"address 0x00000000; ending it" + EOL),
             Console(r"^trace: fault faulted: ended with status 255" + EOL),
             NoConsole(r"still running after the fault"),
             Console(r"^root: trace exited with status 255" + EOL),
             Record("METRIC", r"^trace requests=2 errors=0 malformed=0 exited=0 faulted=1$"),
             End(3)])

# Malformed requests: logged with why, answered with an error, and the tracer serves on.
BAD = [(r"Console\.op9\(len=0\)", "no such op"),
       (r"Console\.write\(len=10 \(claims 5000\)\)", "its len claims more data than came"),
       (r"Console\.write\(len=1024 \(claims 1524\)\)", "its len claims more data than came"),
       (r"MemPool\.put\(no region\)", "it brings no region"),
       (r'FileSystem\.open\("hello"\)', "its data is not a NUL-terminated name"),
       (r"Parent\.op9\(len=0\)", "no such op")]
test("trace-malformed", points=5,
     boot=Boot(monitors=["root", "trace"], program="badreq"),
     doc="user/test/badreq's six malformed requests are each logged with why and answered "
         "INVALID_ARGUMENT, and its later requests are served and logged: MemPool GET, "
         "FileSystem OPEN, STAT and READ.",
     expect=[Console(r"^trace: badreq %s -> INVALID_ARGUMENT \(malformed: %s\)" % (req, why) +
                     EOL) for req, why in BAD] +
            [Console(r"^badreq: %s: error 3" % what + EOL)
             for what in ("Console op 9", "Console WRITE claiming 5000 bytes with 10",
                          "Console WRITE of 1524 bytes", "MemPool PUT with no region",
                          "FileSystem OPEN of a name with no NUL", "Parent op 9")] +
            [Console(r"^trace: badreq MemPool\.get\(bytes=\d+\) -> ok, region" + EOL),
             Console(r'^trace: badreq FileSystem\.open\("hello"\) -> ok, handle=(\d+)' + EOL),
             Console(r"^trace: badreq FileSystem\.stat\(handle=\d+\) -> ok, size=\d+" + EOL),
             Console(r"^trace: badreq FileSystem\.read\(handle=\d+, offset=0, max=4\) -> ok, "
                     r"4 bytes" + EOL),
             Console(r"^badreq: still served after 6 bad requests: memory got, hello opened "
                     r"and read" + EOL),
             Record("METRIC", r"^trace requests=\d+ errors=6 malformed=6 exited=1 "
                              r"faulted=0$"),
             End(0)])

@check("trace-modes", points=2,
       boot=Boot(monitors=["root", "trace:parent"], program="hello"))
def trace_modes(t):
    """trace:parent logs hello's Parent requests and nothing else; a mode word the tracer
    does not have (trace:console+bogus) stops it, naming the word and the words it has."""
    r = t.boot()
    got = [l for l in lines(r) if l.startswith("trace: ")]
    t.expect(r.end_status() == 0, "trace:parent: expected END status=0: " + r.describe())
    same_lines(got, ["trace: hello Parent.get(service=Console) -> ok",
                     "trace: hello Parent.exit(status=0) -> ok",
                     "trace: hello exited with status 0"], "trace:parent's trace: lines")
    r = t.boot(Boot(monitors=["root", "trace:console+bogus"], program="hello"))
    t.expect(r.end_status() == 3, "trace:console+bogus: expected END status=3: " +
             r.describe())
    t.expect(re.search(r"^trace: unknown mode word 'bogus' in mode=console\+bogus; the words "
                       r"are parent, console, mempool, fs, block, process \(log only those\) and "
                       r"summary", r.console, re.M),
             "trace:console+bogus: expected the line trace: unknown mode word 'bogus' in "
             "mode=console+bogus; the words are ...")
    t.expect("hello from user space" not in r.console,
             "trace:console+bogus: hello ran anyway")
