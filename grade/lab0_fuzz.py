"""Lab 0: hostile programs.

user/test/fuzz makes random system calls with random arguments from an unprivileged task (a
thread in a child space of the first task), twice with the same seed; the kernel must
stay up, and every page, object and byte of kernel-memory charge must be accounted for
afterwards (handouts/api.md, "The fuzzer"). Each seed is its own test.
"""
from gradelib import Boot, Part, Passed, Record, test

LAB = 0
TITLE = "Hostile programs"


def fuzz_test(name, seed, calls=10000, keeper=False):
    args = ["seed=%d" % seed, "calls=%d" % calls] + (["keeper=1"] if keeper else [])
    expect = [Record("METRIC", r"^fuzz seed=%d calls=%d " % (seed, calls))]
    if keeper:      # the keeper was asked, refused some, and pages were taken back
        expect.append(Record("METRIC", r"^fuzz-keeper requests=[1-9]\d* refused=[1-9]\d* "
                                       r"taken-back=[1-9]"))
    test(name, boot=Boot(program="fuzz", args=args), expect=expect,
         parts=[Part("fuzz-survived", 2, [Passed("fuzz-survived")]),
                Part("fuzz-accounted", 2, [Passed("fuzz-accounted")])])


for seed in (1, 2, 3):
    fuzz_test("fuzz-seed-%d" % seed, seed)

# keeper=1: pointer arguments also point into memory a keeper thread of the parent backs
# or refuses at random while the parent takes pages back: system calls fault to the
# keeper, wait, and run again (handouts/api.md 10.4) in every state the fuzzer reaches.
for seed in (1, 2):
    fuzz_test("fuzz-keeper-seed-%d" % seed, seed, keeper=True)

# Regressions: seeds that found kernel bugs (with this version of user/test/fuzz; a change
# to the fuzzer changes what a seed does, so each bug also has a direct check).
# Seed 5 (and 1, 3): a thread that died of an unhandled exception was freed while its
# object lived; destroying the object freed it again (panic in thread_free). Direct
# check: vmcheck's thread-dies.
fuzz_test("fuzz-regress-dead-thread", 5)
