"""Lab 1: IPC and spaces by hand (handouts/lab1.md).

Each exercise is one test, named after it; a test's parts are that exercise's points.
Exercise 1 is answered in answers-lab1.md (facts found with GDB); exercise 2 is user/bin/echo,
an echo server and client on the kernel's reliable IPC step by step; exercise 3 is
user/bin/spacebuild, a child space built by hand (region, mapping, thread) that runs code the
parent put there.  The programs run as the root monitor's child, as every program does.
"""
import os
import re

from gradelib import Boot, Console, End, Failure, NoConsole, Part
from gradelib import check, test

LAB = 1
TITLE = "IPC and spaces by hand"

EOL = r"\r?$"
ANSWERS = "answers-lab1.md"
# What exercise 1 asks to find with GDB, and the answer (handouts/lab1.md, exercise 1).
FACTS = [("ipc-syscall", "80", "the system call number in EAX at the int $0x40 of exchange()"),
         ("params-size", "56", "sizeof(fluke_ipc_params_t), printed by GDB in echo")]


@check("ex1-gdb", boots=False, parts=[Part(key, 5) for key, _, _ in FACTS])
def ex1_gdb(t):
    """Exercise 1: answers-lab1.md gives, as `key: value` lines, what GDB shows (the
    system call number of ipc, the size of the IPC parameter block)."""
    path = os.path.join(t.config.root, ANSWERS)
    text = open(path).read() if os.path.exists(path) else ""
    for key, want, what in FACTS:
        with t.part(key):
            m = re.search(r"^[ \t]*[-*]?[ \t]*`?%s`?[ \t]*:[ \t]*`?(\w*)" % re.escape(key),
                          text, re.M)
            if not m:
                raise Failure("%s has no line `%s: ...` (%s)" % (ANSWERS, key, what))
            if not m.group(1):
                raise Failure("%s: the line %s: gives no value yet (%s)" % (ANSWERS, key, what))
            if _number(m.group(1)) != int(want):
                raise Failure("%s: %s is not %s" % (ANSWERS, key, m.group(1)))


def _number(word):
    """A number as GDB may print it (80, 0x50), or None."""
    try:
        return int(word, 0)
    except ValueError:
        return None


ECHO = Boot(monitors=["root"], program="echo")
test("ex2-echo", boot=ECHO,
     doc="Exercise 2: user/bin/echo's three messages come back through its server: 12 bytes, "
         "none (the reply is the disconnect alone), and 20,000 bytes sent in 7 SENDs.",
     parts=[Part("short", 5, [Console(r"^echo: 12 bytes in 1 piece: ok" + EOL)]),
            Part("empty", 5, [Console(r"^echo: 0 bytes in 1 piece: ok" + EOL)]),
            Part("pieces", 10, [Console(r"^echo: 20000 bytes in 7 pieces: ok" + EOL),
                                Console(r"^echo: 3 of 3 messages came back, the server "
                                        r"sent 3" + EOL),
                                NoConsole(r"wrong reply|error"), End(0)])])

test("ex3-spacebuild", boot=Boot(monitors=["root"], program="spacebuild"),
     doc="Exercise 3: user/bin/spacebuild's hand-built child runs child_main in a space of its "
         "own and leaves its answer in the shared page.",
     parts=[Part("child-ran", 10, [Console(r"^spacebuild: the child counted 1229 primes "
                                           r"below 10000" )]),
            Part("own-space", 10, [Console(r"in a space of its own" + EOL), End(0)])])
