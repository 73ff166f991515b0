"""Lab 0: checkpointing.

A user-space checkpointer (user/test/ckptcheck/) stops a child whose three threads compute, wait in
a reliable receive and wait on a condition variable; it extracts every object of the
child's region (region_search, get_state), copies its memory, destroys the child, rebuilds
it with create-with-hash and set_state, and resumes it: the child must finish with the
output of an uninterrupted run.
"""
from gradelib import Boot, Part, Passed, test

LAB = 0
TITLE = "Checkpointing"


def program_test(name, program, checks, points_each):
    """A test whose parts are the named checks program reports as PASS records."""
    test(name, boot=Boot(program=program),
         parts=[Part(check, points_each, [Passed(check)]) for check in checks])


# Two runs of the child, about 110 million instructions each: 240 million in all.
program_test("checkpoint", "ckptcheck",
             ["ckpt-uninterrupted", "ckpt-extract", "ckpt-restore", "ckpt-same-output"],
             2)
