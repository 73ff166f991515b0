"""Lab 6: the security monitor (monitors/secure) and the hostile programs (user/test/evil).

secure forwards its children's requests as nest does, but only those its policy allows: a
refused one gets FLUKE_NOT_PERMITTED and a line naming the rule, the denials=th refusal or a
cap passed (mem=, the kernel's cpu= instruction budget) ends the child with a line saying why.  The
policy cases check each rule; the hostile programs try every way out, under secure and, for
contrast, under nest, while a well-behaved parent (evil host) checks that the monitor then
serves a second child and that the kernel's live objects and free pages and the pool's free
bytes are back where they were; the containment test crashes a monitor in the middle of a
stack beside a sibling program.
"""
from gradelib import Boot, Console, ConsoleNumber, End, NoConsole, Record
from gradelib import test
from gradelib.machine import TICK_COUNTS

LAB = 6
TITLE = "The security monitor"

EOL = r"\r?$"
def baseline_after(n):
    return Console(r"^evil: host: after round %d: live objects \+0, free pages \+0, "
                   r"pool bytes \+0" % n + EOL)


BASELINE = baseline_after(2)


def under(policy, *args, stack=()):
    """evil ARGS under stack=secure:POLICY (a policy of None: under nest)."""
    mon = ["nest"] if policy is None else ["secure:" + policy]
    return Boot(monitors=["root"] + list(stack) + mon, program="evil", args=list(args))


def denied(what, why):
    return Console(r"^secure: evil %s denied %s" % (what, why) + EOL)


# The kernel stops a space within a timer tick (10M instructions under -icount) of its CPU
# budget, plus its own work to stop the thread and tell the monitor (a few thousand).
STOP = 100000


def cpu_spent(limit):
    """secure's line for a child's CPU budget of limit instructions spent, saying it ran
    from limit up to limit + TICK_COUNTS + STOP."""
    return ConsoleNumber(r"^secure: evil ended: CPU budget of %d instructions \(cpu=\) spent: "
                         r"it ran (\d+)" % limit + EOL, limit, limit + TICK_COUNTS + STOP)


# Policy cases.  Rules are numbered in the order read: open=hello:ro is rule 1.
test("secure-open-allowed", points=1,
     boot=under("open=hello:ro", "open", "hello"),
     expect=[Console(r"^evil: open\(hello\) -> 0, 16 bytes read" + EOL),
             NoConsole(r"^secure: .* denied"), Record("METRIC", r"^secure requests=\d+ "
                                                      r"denied=0 ended=0$"), End(0)])
test("secure-open-denied", points=1,
     boot=under("open=hello:ro+deny=secret*+deny=boot.conf", "open", "boot.conf", "spin",
                "hello"),
     expect=[denied(r"open\(boot\.conf\)", "by rule 3"),
             Console(r"^evil: open\(boot\.conf\) -> 4, 0 bytes read" + EOL),   # NOT_PERMITTED
             denied(r"open\(spin\)", r"\(no rule allows it\)"),
             Console(r"^evil: open\(hello\) -> 0, 16 bytes read" + EOL), End(0)])
test("secure-policy-file", points=1,
     boot=under("policy=secure.policy", "open", "hello", "secret.key"),
     expect=[Console(r"^evil: open\(hello\) -> 0, 16 bytes read" + EOL),
             denied(r"open\(secret\.key\)", "by rule 3"), End(0)])
test("secure-mem-cap", points=1,
     boot=under("mem=1024", "hog"),
     expect=[denied(r"get\(257 pages\)", "by mem="),
             Console(r"^secure: evil ended: memory cap of 1024 pages \(mem=\) exceeded: held "
                     r"\d+, asked 257 more" + EOL),
             NoConsole(r"^evil: hog got"), End(3)])
test("secure-cpu-budget", points=1,
     boot=under("cpu=50M", "spin"),
     expect=[Console(r"^evil: spinning" + EOL), cpu_spent(50000000), End(3)])
# The kernel's side of the budget: a space the child makes gets what is left of the child's,
# and a budget may be lowered but neither raised nor cleared (insanity INVALID_STATE,
# caught by evil's own handler); under nest there is no budget to inherit.
test("secure-cpu-inherit", points=1,
     boot=under("cpu=500000000", "budget", "500000000"),
     expect=[Console(r"^evil: budget: a new space got what is left of my 500000000 instructions; "
                     r"raising it: refused, clearing it: refused, lowering it to 1: done \(now 1, "
                     r"used 0\)" + EOL), End(0)])
test("secure-cpu-inherit-contrast",
     boot=under(None, "budget", "500000000"),
     expect=[Console(r"^evil: budget: a new space got no budget of my 500000000 instructions"),
             End(0)])
test("secure-spawn-limit", points=1,
     boot=under("spawn=4", "spawns"),
     expect=[Console(r"^evil: 4 of 6 spawns ran" + EOL),
             denied(r"spawn\(hello\)", "by spawn=4"), End(0)])
test("secure-spawn-contrast",
     boot=under(None, "spawns"),
     expect=[Console(r"^evil: 6 of 6 spawns ran" + EOL), End(0)])
test("secure-rate", points=1,
     boot=under("rate=64", "chatter"),
     expect=[denied(r"write\(61 bytes\)", "by rate=64"),
             Console(r"^secure: evil ended: 8 requests denied \(denials=8\)" + EOL),
             NoConsole(r"^evil: chatter line 199"), End(3)])
test("secure-bad-policy", points=1,
     boot=Boot(monitors=["root", "secure:policy=secure-bad.policy"], program="hello"),
     expect=[Console(r"^secure: secure-bad\.policy line 4: bad rule 'cpu=lots'; it takes a "
                     r"number of guest instructions, in decimal, with K, M or G"),
             NoConsole(r"^hello from user space"), End(3)])
test("secure-bad-mode",
     boot=Boot(monitors=["root", "secure:open=hello+mem=64"], program="hello"),
     expect=[Console(r"^secure: word 1 of mode=: bad rule 'open=hello'; open= takes a name "
                     r"and :ro or :rw"),
             NoConsole(r"^hello from user space"), End(3)])
# At any depth: between two forwarding nests, the inner one loading its child through it.
test("secure-depth", points=1,
     boot=Boot(monitors=["root", "nest", "secure:open=nest:ro+open=hello:ro", "nest"],
               program="hello", args=["deep"]),
     expect=[Console(r"^hello from user space: hello deep \(argc=2\)" + EOL),
             NoConsole(r"^(secure|nest): "), End(0)])

# The hostile programs (no points: the kernel contains them whatever the monitor does),
# each twice under a well-behaved parent that then runs hello and
# compares the leak counts.  What the kernel contains by itself ends the same under nest.
HOST = "open=evil:ro+open=hello:ro+mem=1024+spawn=64+denials=32"
KERNEL_MODES = ["forge", "rocreate", "faults", "threads", "twice", "stopped", "flood"]
KERNEL_LINES = [
    r"^evil: 0 of 17 forged references did anything \(12 Insanities caught\)",
    r"^evil: 0 of 3 objects made in read-only memory \(3 Insanities caught\)",
    r"^evil: 2000 faults taken by my own handler",
    r"^evil: made \d+ threads, then error 5",                      # NO_MEMORY: its charge
    r"^evil: a GET sent twice: 0, 0, the same region, 4096 bytes granted",
    r"^evil: a GET stopped and resumed: 0, 4096 bytes granted",
    r"^evil: flooded 3200 requests, \d+ refused",
]


def served(modes, statuses):
    return [Console(r"^evil: host: round %d: evil %s ended with status %s, hello with 0" %
                    (r, m, s) + EOL) for r in (1, 2) for m, s in zip(modes, statuses)]


for label, policy in [("secure", HOST), ("nest", None)]:
    test("hostile-kernel-%s" % label,
         boot=under(policy, "host", *KERNEL_MODES),
         expect=[Console(line + EOL) for line in KERNEL_LINES] +
         served(KERNEL_MODES, ["0"] * len(KERNEL_MODES)) +
         ([BASELINE] if policy else []) + [End(0)])
    # A fault on memory nobody gave it: its own monitor reports it and ends it.
    test("hostile-probe-%s" % label,
         boot=under(policy, "host", "probe"),
         expect=[Console(r"^%s: evil: Page Fault \(code 0x4\) at eip 0x[0-9a-f]{8}, address "
                         r"0x20000000; ending it" % label + EOL)] +
         served(["probe"], ["255"]) + ([BASELINE] if policy else []) + [End(0)])

# Under secure every malformed request is refused before it goes up (the refusals named),
# and the few that pass are answered with an error; under nest the servers refuse them all.
test("hostile-malformed-secure", points=1,
     boot=under(HOST, "host", "malformed"),
     expect=[denied(r"ioports\(0x0, 65535\)", r"\(the policy lends no I/O ports\)"),
             denied(r"get\(1048575 pages\)", "by mem="),
             denied(r"FileSystem op 99", r"\(no such op\)"),
             denied(r"open\(x{55}\)", r"\(not a file name\)"),     # 1,024 bytes, no NUL
             denied(r"read\(handle 4294967295\)", r"\(not opened\)"),
             denied(r"Block op 2", "by block=none"),
             Console(r"^evil: 25 malformed requests, 0 answered success" + EOL),
             BASELINE] + served(["malformed"], ["0"]) + [End(0)])
test("hostile-malformed-nest",
     boot=under(None, "host", "malformed"),
     expect=[Console(r"^evil: 25 malformed requests, 0 answered success" + EOL),
             NoConsole(r"^secure: ")] + served(["malformed"], ["0"]) + [End(0)])
# Handles are entry numbers: under nest a guessed one reads any file; under secure only one
# the client opened, and the 32nd refusal ends it.
test("hostile-handles-secure", points=1,
     boot=under(HOST, "host", "handles"),
     expect=[denied(r"read\(handle 0\)", r"\(not opened\)"),
             Console(r"^secure: evil ended: 32 requests denied \(denials=32\)" + EOL),
             NoConsole(r"^evil: \d+ of 64 handles"), BASELINE] +
     served(["handles"], ["255"]) + [End(0)])
test("hostile-handles-nest",
     boot=under(None, "host", "handles"),
     expect=[Console(r"^evil: [1-9]\d* of 64 handles read without OPEN" + EOL)] +
     served(["handles"], ["0"]) + [End(0)])
# Memory until refused: under secure the cap ends it; under nest it gets its 64 MB.
test("hostile-hog-secure", points=1,
     boot=under(HOST, "host", "hog"),
     expect=[Console(r"^secure: evil ended: memory cap of 1024 pages \(mem=\) exceeded"),
             BASELINE] + served(["hog"], ["255"]) + [End(0)])
test("hostile-hog-nest",
     boot=under(None, "host", "hog"),
     expect=[Console(r"^evil: hog got 64 MB" + EOL)] + served(["hog"], ["0"]) + [End(0)])
# An infinite loop: the kernel's instruction budget of its space (there is none under nest).
test("hostile-spin-secure", points=1,
     boot=under(HOST + "+cpu=50M", "host", "spin"),
     expect=[cpu_spent(50000000),
             BASELINE] + served(["spin"], ["255"]) + [End(0)])

# Containment: under nest, evil contain starts a sibling beside secure (its mode crash=12,
# a documented test hook, makes it fault at its 12th request, with its nest and that nest's
# hello alive), then beside a secure that exits with a child still spinning, three times;
# the sibling's five lines all come, and the leak counts after the third round are those
# after the second (the first two let the nest above grow its server threads).
test("secure-contain", points=2,
     boot=Boot(monitors=["root", "nest"], program="evil", args=["contain", "12"]),
     expect=[Console(r"^secure: crash=12: faulting on purpose \(a test hook\)" + EOL),
             Console(r"^nest: secure: Page Fault \(code 0x6\) at eip 0x[0-9a-f]{8}, address "
                     r"0x00000000; ending it" + EOL)] +
     [Console(r"^evil: sibling line %d of 5" % i + EOL) for i in range(1, 6)] +
     [Console(r"^evil: contain: round %d: the sibling ended with status 0, secure "
              r"\(crashed\) with 255" % r + EOL) for r in (1, 2, 3)] +
     [Console(r"^evil: contain: round %d: the sibling ended with status 0, secure "
              r"\(exited\) with 0" % r + EOL) for r in (1, 2, 3)] +
     [baseline_after(3), End(0)])
