"""Lab 2, a placeholder until the pager lab lands (handouts/lab2.md): user/bin/runall starts
lab 1's programs through the Parent protocol and reports how they ended.  In a lab 2
tree, echo and spacebuild are the staff's reference binaries (labs/ref/) unless make grade
is given MINE=1."""
from gradelib import Boot, Console, End, Part
from gradelib import test

LAB = 2
TITLE = "Placeholder: a program over lab 1's layers"

EOL = r"\r?$"

test("ex1-runall", boot=Boot(monitors=["root"], program="runall"),
     doc="Exercise 1: runall spawns echo and then spacebuild and waits for each: both "
         "exit with status 0.",
     parts=[Part("echo", 5, [Console(r"^runall: echo exited with status 0" + EOL)]),
            Part("spacebuild", 5, [Console(r"^runall: spacebuild exited with status 0" + EOL),
                                   End(0)])])
