"""Lab 3: the process manager (monitors/pm).

Processes are no kernel feature but a monitor's service: pm makes its children's spaces
and threads in memory it controls, turns their exceptions into signals and gives them a
POSIX-like world (pids of its own, waitpid, kill, signal handlers, descriptors, pipes,
exec).  pmcheck calls each with its error cases; the shell sessions run pipelines and
redirections over the serial line.
"""
from gradelib import Boot, Console, End, NoConsole, Passed, Record, check
from gradelib import test
from gradelib.serial import serial_machine

LAB = 3
TITLE = "The process manager"

BUDGET = 800000000
EOL = r"\r?$"

PMCHECK = ("pm-getpid", "pm-waitpid", "pm-kill", "pm-handler", "pm-exception", "pm-exec",
           "pm-pipe", "pm-open", "pm-setpgid")

# Each call with its error cases, under one process manager, under two (the inner one's
# pids are its own) and under a forwarding nest.
for label, stack in [("pm", ["pm"]), ("pm-pm", ["pm", "pm"]), ("nest-pm", ["nest", "pm"])]:
    test("pmcheck-%s" % label, points=2, budget=BUDGET,
         boot=Boot(monitors=["root"] + stack, program="pmcheck"),
         expect=[Passed(name) for name in PMCHECK] +
         [Console(r"^pm: fault \(pid \d+\): Page Fault \(code 0x6\) at eip 0x[0-9a-f]{8}, "
                  r"address 0x00000000: SIGSEGV" + EOL),
          Console(r"^pm: fault \(pid \d+\): Divide Error .*: SIGFPE" + EOL),
          Console(r"^pmcheck: 0 failure\(s\)" + EOL), End(0)])

# A bad mode names itself and what a mode is.
test("pm-bad-mode", points=1, budget=BUDGET,
     boot=Boot(monitors=["root", "pm:lots"], program="hello"),
     expect=[Console(r"^pm: bad mode 'lots'; the mode is the process limit, a number from 2 "
                     r"to 64 \(e\.g\. stack=pm:16\)" + EOL),
             NoConsole(r"^hello from user space"), End(3)])
