"""Lab 5: the checkpointer (handouts/lab5.md).

monitors/ckpt sits between its child and its parent, serves the child MemPool from its own
pages (so every object the child makes lies in memory it can search), and on a trigger (the
child's own request, <fluke/ckpt.h>, or ckpt:every=N ms of guest time) stops every thread of
the child, saves their states, links and memory to an image on its Block disk, and resumes
it.  ckpt:restore, in a later boot on the same disk, rebuilds the child from the latest
complete image and lets it run on.  ckpt:stop=K stops the machine right after checkpoint K:
the tests' power cut.

The program is user/test/ckptwork: four threads (a reliable IPC ping-pong, two counters
under a mutex woken by a condition, the main thread waiting on another) and a heap block.
Its output is known in advance (expected() below computes it), and a test passes only if
the lines of the boot that was cut plus those of the boot that restored are exactly those:
one line lost or printed twice fails it.  Each test boots twice on one disk file
(Boot(swap=PATH): the disk is kept between the boots).  The child may be a monitor: the
ckpt-nest and ckpt-pm tests save nest or pm with everything below it (user/test/ckptring
under pm: forked processes and pipes), and ckpt-seeded-instants cuts ckptwork at ten
instants from a seed, in a chain of eleven boots.
"""
import os
import random
import re
import struct

from gradelib import Boot, Console, End, NoConsole, Part, check, test
from gradelib.errors import Failure
from gradelib.records import fields
from gradelib.serial import serial_machine

LAB = 5
TITLE = "The checkpointer"

ROUNDS = 14
SPIN = 50000            # user/test/ckptwork/ckptwork.c
HEAP_WORDS = 8192
RC = 18                 # what its ping-pong call returns: FLUKE_IPC_SEND_DISCONNECTED
SECTOR = 512


def expected(rounds=ROUNDS):
    """ckptwork's output, computed here as the program computes it."""
    mask = 0xffffffff
    heap, x, s, counter, lines = list(range(HEAP_WORDS)), 1, 0, 0, []
    for r in range(1, rounds + 1):
        counter += 2 * r * 100
        for _ in range(SPIN):
            x = (x * 1664525 + 1013904223) & mask
            heap[x % HEAP_WORDS] = (heap[x % HEAP_WORDS] + (x >> 7)) & mask
            s = (((s << 3) | (s >> 29)) & mask) ^ heap[(x >> 9) % HEAP_WORDS]
        lines.append("ckptwork: round %d pong=%d rc=%d counter=%d sum=%08x" % (
            r, r * r + 7, RC, counter, s))
    lines.append("ckptwork: done after %d rounds" % rounds)
    return lines


_EXPECTED = {}


def want(rounds=ROUNDS):
    if rounds not in _EXPECTED:
        _EXPECTED[rounds] = expected(rounds)
    return _EXPECTED[rounds]


def lines(run):
    return [s.rstrip("\r") for s in run.console.split("\n")]


def child_lines(run, before=None):
    """The program's lines of run's console (those before the first line matching before)."""
    out = []
    for s in lines(run):
        if before and re.match(before, s):
            break
        if s.startswith("ckptwork: "):
            out.append(s)
    return out


def same_output(got, what, w=None):
    """Fail unless got is the program's whole output (w, default want()), saying which line
    was lost or duplicated."""
    w = w or want()
    if got == w:
        return
    for i, (g, e) in enumerate(zip(got + [None] * len(w), w + [None] * len(got))):
        if g != e:
            kind = "duplicated" if g in w[:i] else "lost or wrong"
            raise Failure("%s: line %d is %r, expected %r (a line %s; %d lines, expected %d)"
                          % (what, i + 1, g, e, kind, len(got), len(w)))


def console_has(run, pattern, what):
    if not any(re.search(pattern, s) for s in lines(run)):
        raise Failure("%s: no console line matches %r; %s" % (what, pattern, run.describe()))


def ended(run, status, what):
    if run.end_status() != status:
        raise Failure("%s: expected END status=%d: %s" % (what, status, run.describe()))


def boot(t, mode, args, disk, program="ckptwork", below=()):
    """A boot of ckpt:mode over the monitors below (outermost first) and program."""
    return t.boot(Boot(monitors=["root", "ckpt:" + mode if mode else "ckpt"] + list(below),
                       program=program, args=[str(a) for a in args], swap=disk))


def disk_of(t):
    """The test's disk file, which every boot of it uses (Boot(swap=PATH))."""
    return os.path.join(t.workdir, "ckpt-disk.img")


def fresh_disk(t):
    """The test's disk file, none yet: its first boot makes it empty (Boot(swap=PATH))."""
    disk = disk_of(t)
    if os.path.exists(disk):
        os.remove(disk)
    return disk


def cut_and_restore(t, mode, args, marker=None, below=()):
    """Boot 1 with mode on a fresh disk (it stops the machine after a checkpoint), boot 2
    restores: the two boots' program lines together must be the whole output.  below: the
    monitors between ckpt and the program (ckpt's child is the first of them)."""
    disk = fresh_disk(t)
    first = boot(t, mode, args, disk, below=below)
    ended(first, 0, "the first boot")
    console_has(first, r"^ckpt: stopping the machine after checkpoint \d+", "the first boot")
    second = boot(t, "restore", [ROUNDS], disk, below=below)
    ended(second, 0, "the restoring boot")
    console_has(second, r"^ckpt: restored %s from checkpoint \d+" % (
        below[0].split(":")[0] if below else "ckptwork"), "the restoring boot")
    before, after = child_lines(first, marker), child_lines(second)
    t.expect(before and after, "each boot must print some of the output: the first printed "
             "%d lines, the restored one %d" % (len(before), len(after)))
    same_output(before + after, "the first boot's lines then the restored boot's")
    return first, second


def ckpt_request_restore(t):
    """The program asks for a checkpoint after round 4; the machine stops there; a fresh boot
    restores it (all four threads blocked or running, its heap, its references to Console,
    MemPool and Parent joined to the new boot's) and it finishes: no line lost or twice."""
    first, second = cut_and_restore(t, "stop=1", [ROUNDS, 4])
    t.expect(not any(s.startswith("ckpt: checkpoint ") for s in lines(second)),
             "the restored program's resent checkpoint request must be answered from the "
             "image, not take a second checkpoint")
    t.expect(child_lines(first)[-1] == want()[3],
             "the first boot's last line must be round 4's: %r" % child_lines(first)[-1])


check("ckpt-request-restore", points=6,
      boot=Boot(monitors=["root", "ckpt:stop=1"], program="ckptwork"))(ckpt_request_restore)


def restore_typing(t, disk, first, typed, read):
    """Restore disk's checkpoint 1 in a fresh boot, type typed once it says so, and
    check that the first boot's lines then this boot's are the whole output with the
    reader's line 'read'."""
    m = serial_machine(t, Boot(monitors=["root", "ckpt:restore"], program="ckptwork",
                               args=[str(ROUNDS)], swap=disk))
    m.wait_for(r"^ckpt: restored ckptwork from checkpoint 1", timeout=60)
    m.type(typed)
    second = m.wait()
    ended(second, 0, "the restoring boot")
    whole = want()[:-1] + ["ckptwork: read '%s'" % read] + want()[-1:]
    same_output(child_lines(first) + child_lines(second),
                "the first boot's lines then the restored boot's", whole)


def ckpt_console_reader(t):
    """A fifth thread waits in a Console READ when the program asks for its checkpoint after
    round 4 and the machine stops; the fresh boot restores it, the grader types a line only
    then, and the reader (its READ sent again, to the new boot's console) gets it: the output
    is the whole output with the line read, once."""
    disk = fresh_disk(t)
    first = boot(t, "stop=1", [ROUNDS, 4, 0, 0, 1], disk)
    ended(first, 0, "the first boot")
    restore_typing(t, disk, first, "typed after the restore\r", "typed after the restore")


check("ckpt-console-reader", points=2, budget=4000000000, emulator="qemu",
      boot=Boot(monitors=["root", "ckpt:stop=1"], program="ckptwork"))(ckpt_console_reader)


def ckpt_console_key(t):
    """The grader types "ab", then Ctrl-] c, while the program runs with a fifth thread
    reading a line: the checkpointer takes the two keys out of the input and takes a
    checkpoint (the machine stops there); a fresh boot restores it, the grader types "cd"
    and a return, and the reader's line is "abcd": the keys reached the child neither as
    input nor twice."""
    disk = fresh_disk(t)
    m = serial_machine(t, Boot(monitors=["root", "ckpt:stop=1"], program="ckptwork",
                               args=[str(ROUNDS), "0", "0", "0", "1"], swap=disk))
    m.wait_for(r"^ckptwork: round 1 ", timeout=60)
    m.type("ab\x1dc")
    first = m.wait()
    ended(first, 0, "the first boot")
    console_has(first, r"^ckpt: checkpoint 1 of ckptwork \(full\)", "the first boot")
    restore_typing(t, disk, first, "cd\r", "abcd")


check("ckpt-console-key", points=2, budget=4000000000, emulator="qemu",
      boot=Boot(monitors=["root", "ckpt:stop=1"], program="ckptwork"))(ckpt_console_key)


def every_restore(period, stop):
    def run(t):
        cut_and_restore(t, "every=%d+stop=%d" % (period, stop), [ROUNDS])
    run.__doc__ = ("A checkpoint every %d ms of guest time wherever the threads are; the "
                   "machine stops after checkpoint %d; a fresh boot restores it and the "
                   "output of both boots is the whole output." % (period, stop))
    return run


for _period, _stop in ((3, 1), (4, 2), (5, 3)):
    check("ckpt-every-%d-restore" % _period, points=2,
          boot=Boot(monitors=["root", "ckpt:every=%d+stop=%d" % (_period, _stop)],
                    program="ckptwork"))(every_restore(_period, _stop))


# Ten instants from a seed: a chain of boots, each restoring the one before it and cut at
# its own instant (ckpt:every=Nus, guest microseconds after its start or restore), so the
# program is stopped, saved and rebuilt in a fresh boot ten times, wherever the instants find
# its threads.  CKPT_SEED=N in the environment picks other instants; a failure names the seed.
SEED = int(os.environ.get("CKPT_SEED", "17"))
INSTANTS = 10
INSTANT_US = (300, 1300)        # the range of each instant after the boot's start or restore


def instants(seed):
    rng = random.Random(seed)
    return [rng.randrange(*INSTANT_US) for _ in range(INSTANTS)]


def ckpt_seeded_instants(t):
    """ckptwork's four threads and its console reader, checkpointed at 10 instants chosen
    from a seed: boot k (k = 1..10) restores checkpoint k-1 (but the first), takes checkpoint
    k its instant later and cuts the power; boot 11 restores checkpoint 10 and the grader
    types a line only then, which the reader gets (its READ sent again after each restore).
    The lines of all the boots together must be the whole output of an uninterrupted run,
    with the line read once: no line lost or printed twice."""
    disk = fresh_disk(t)
    got = []
    steps = instants(SEED)
    try:
        for k, us in enumerate(steps, 1):
            mode = "every=%dus+stop=%d%s" % (us, k, "+restore" if k > 1 else "")
            run = boot(t, mode, [ROUNDS, 0, 0, 0, 1], disk)
            what = "boot %d (ckpt:%s)" % (k, mode)
            ended(run, 0, what)
            console_has(run, r"^ckpt: stopping the machine after checkpoint %d " % k, what)
            got += child_lines(run)
        m = serial_machine(t, Boot(monitors=["root", "ckpt:restore"], program="ckptwork",
                                   args=[str(ROUNDS)], swap=disk))
        m.wait_for(r"^ckpt: restored ckptwork from checkpoint %d" % INSTANTS, timeout=60)
        m.type("typed after ten restores\r")
        last = m.wait()
        ended(last, 0, "the last boot")
        t.expect(child_lines(last)[:1] != want()[-1:],
                 "the last instant must come before the program's last round: %d lines "
                 "were printed before the last boot" % len(got))
        whole = want()[:-1] + ["ckptwork: read 'typed after ten restores'"] + want()[-1:]
        same_output(got + child_lines(last), "the lines of the eleven boots", whole)
    except Failure as e:
        raise Failure("seed %d (instants %s us; CKPT_SEED=%d reruns them): %s"
                      % (SEED, ",".join(map(str, steps)), SEED, e))


check("ckpt-seeded-instants", points=2, budget=4000000000, emulator="qemu",
      boot=Boot(monitors=["root", "ckpt:every=%dus+stop=1" % instants(SEED)[0]],
                program="ckptwork", args=[str(ROUNDS), "0", "0", "0", "1"]))(ckpt_seeded_instants)


# Bad images: each restore must say what is wrong, start nothing, and exit 1 (which the root
# turns into the kernel's END status=3: the first task's program failed).
REFUSED = 3

HEADER = struct.Struct("<8s5I64I")    # monitors/ckpt/disk.c: struct header before check
CHAIN = 32


def fnv(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def headers(disk):
    """The checkpoint headers on disk, oldest first: dicts of seq, start (sector), records
    [(length, sum)] and sector (where the header is)."""
    out = []
    with open(disk, "rb") as f:
        for s in range(2):
            f.seek(s * SECTOR)
            raw = f.read(HEADER.size + 4)
            if len(raw) < HEADER.size + 4 or raw[:8] != b"FLUKCKPT":
                continue
            w = HEADER.unpack(raw[:HEADER.size])
            records = [(w[6 + 2 * i], w[7 + 2 * i]) for i in range(min(w[5], CHAIN))]
            out.append({"seq": w[3], "start": w[4], "records": records, "sector": s})
    return sorted(out, key=lambda h: h["seq"])


def roll_back(disk, h):
    """Rewrite header h as it was before its last record was appended: the header a power
    cut during that record's write leaves."""
    with open(disk, "r+b") as f:
        f.seek(h["sector"] * SECTOR)
        raw = bytearray(f.read(HEADER.size))
        w = list(HEADER.unpack(bytes(raw)))
        w[3] -= 1
        w[5] -= 1
        n = w[5]
        w[6 + 2 * n] = w[7 + 2 * n] = 0
        packed = HEADER.pack(*w)
        f.seek(h["sector"] * SECTOR)
        f.write(packed + struct.pack("<I", fnv(packed)))


def refused(t, disk, pattern, program="ckptwork", below=()):
    run = boot(t, "restore", [ROUNDS], disk, program, below)
    ended(run, REFUSED, "the restore")
    console_has(run, r"^ckpt: cannot restore %s: %s; nothing was started" % (
        below[0] if below else program, pattern), "the restore")
    t.expect(not child_lines(run), "the restore that was refused must run nothing: %r"
             % child_lines(run)[:2])


def one_checkpoint(t):
    disk = fresh_disk(t)
    first = boot(t, "stop=1", [ROUNDS, 2], disk)
    ended(first, 0, "the first boot")
    t.expect(headers(disk), "the first boot left no checkpoint header on the disk")
    return disk


def first_record(disk):
    """(first sector, length) of the latest checkpoint's full image."""
    h = headers(disk)[-1]
    return h["start"], h["records"][0][0]


def ckpt_bad_images(t):
    """A corrupt image (a byte of its data changed), one of another build (restored for
    another program), a truncated one (the disk cut short), a disk whose headers are gone
    and no disk at all: each restore says so, starts nothing and exits 1.  (A checkpoint is
    made first: without one the test fails whole.)"""
    disk = one_checkpoint(t)
    with t.part("ckpt-corrupt"):
        start, length = first_record(disk)
        with open(disk, "r+b") as f:
            f.seek(start * SECTOR + length // 2)
            byte = f.read(1)
            f.seek(start * SECTOR + length // 2)
            f.write(bytes([byte[0] ^ 0x40]))
        refused(t, disk, r"checkpoint 1 is corrupt: record 0 of its chain sums to [0-9a-f]{8}, "
                r"its header says [0-9a-f]{8}")
    with t.part("ckpt-other-build"):
        refused(t, disk, r"checkpoint 1 is of another build \(build [0-9a-f]{8}; the program "
                r"here is build [0-9a-f]{8}\)", program="hello")
    with t.part("ckpt-empty-disk"):
        with open(disk, "r+b") as f:
            f.write(bytes(2 * SECTOR))
        refused(t, disk, r"there is no checkpoint on the disk \(no header has the magic and "
                r"its checksum\)")
    with t.part("ckpt-truncated"):
        disk = one_checkpoint(t)
        start, _length = first_record(disk)
        with open(disk, "r+b") as f:
            f.truncate((start + 8) * SECTOR)
        refused(t, disk, r"checkpoint 1 is truncated: its chain of 1 records from sector \d+ "
                r"does not fit on the disk of \d+ sectors")
    with t.part("ckpt-no-disk"):
        run = t.boot(Boot(monitors=["root", "ckpt:restore"], program="ckptwork", swap=False))
        ended(run, REFUSED, "the restore")
        console_has(run, r"^ckpt: cannot restore ckptwork: there is no checkpoint disk",
                    "the restore")


check("ckpt-bad-images", boot=Boot(monitors=["root", "ckpt:restore"], program="ckptwork"),
      parts=[Part(n, 1) for n in ("ckpt-corrupt", "ckpt-other-build", "ckpt-empty-disk",
                                  "ckpt-truncated", "ckpt-no-disk")])(ckpt_bad_images)


def ckpt_power_cut(t):
    """Full images (ckpt:full): the machine stops while checkpoint 2 is being written into
    the other slot, its data half there, its header never written.  The restore takes
    checkpoint 1, whole, and the output from there on is the rest: the first boot's lines up
    to checkpoint 1, then the restored boot's."""
    disk = fresh_disk(t)
    first = boot(t, "full+every=3+stop=2", [ROUNDS], disk)
    ended(first, 0, "the first boot")
    hs = headers(disk)
    t.expect(len(hs) == 2, "expected two checkpoint headers on the disk, found %d" % len(hs))
    h = hs[-1]
    length = h["records"][0][0]
    with open(disk, "r+b") as f:
        f.seek(h["sector"] * SECTOR)
        f.write(bytes(SECTOR))                  # its header never came
        f.seek(h["start"] * SECTOR + length // 2)
        f.write(bytes(length - length // 2))    # nor the second half of its data
    second = boot(t, "restore", [ROUNDS], disk)
    ended(second, 0, "the restoring boot")
    console_has(second, r"^ckpt: restored ckptwork from checkpoint 1:", "the restoring boot")
    same_output(child_lines(first, r"^ckpt: checkpoint 1 of") + child_lines(second),
                "the first boot's lines up to checkpoint 1, then the restored boot's")


check("ckpt-power-cut", points=3,
      boot=Boot(monitors=["root", "ckpt:full+every=3+stop=2"],
                program="ckptwork"))(ckpt_power_cut)


SLACK = 12      # pages the program writes between its two requests besides the k it touches


def saves(run):
    return [fields(text) for text in run.records.texts("METRIC")
            if text.startswith("ckpt-save ")]


def ckpt_incremental(t):
    """After a full checkpoint the program writes k pages of its heap and asks again: the
    second checkpoint is a delta of about k pages (k = 8 and 72: METRIC ckpt-save
    written=N, at least k and at most k + 12), appended to the chain; a fresh boot restores
    the chain's end; and a power cut while the delta is written (its header rolled back, its
    second half lost) restores checkpoint 1."""
    runs = {}
    for k in (8, 72):
        disk = fresh_disk(t)
        first = boot(t, "stop=2", [ROUNDS, 4, 512, k], disk)
        ended(first, 0, "the first boot (k=%d)" % k)
        runs[k] = first
        with t.part("ckpt-incremental-pages"):
            got = saves(first)
            t.expect([g.get("kind") for g in got] == ["full", "incremental"],
                     "k=%d: expected a full checkpoint then an incremental one: %r" % (k, got))
            written = int(got[1]["written"])
            t.expect(k <= written <= k + SLACK,
                     "k=%d: the incremental checkpoint wrote %d pages, expected %d to %d (the "
                     "full one %s)" % (k, written, k, k + SLACK, got[0].get("written")))
    with t.part("ckpt-incremental-restore"):
        second = boot(t, "restore", [ROUNDS], disk)
        ended(second, 0, "the restoring boot")
        console_has(second, r"^ckpt: restored ckptwork from checkpoint 2:", "the restoring boot")
        same_output(child_lines(runs[72]) + child_lines(second),
                    "the first boot's lines then the restored boot's")
    with t.part("ckpt-incremental-power-cut"):
        h = headers(disk)[-1]
        t.expect(len(h["records"]) == 2, "expected a chain of 2 records: %r" % h)
        delta_start = h["start"] + (h["records"][0][0] + SECTOR - 1) // SECTOR
        roll_back(disk, h)
        with open(disk, "r+b") as f:
            length = h["records"][1][0]
            f.seek(delta_start * SECTOR + length // 2)
            f.write(bytes(length - length // 2))
        second = boot(t, "restore", [ROUNDS], disk)
        ended(second, 0, "the restoring boot")
        console_has(second, r"^ckpt: restored ckptwork from checkpoint 1:", "the restoring boot")
        same_output(child_lines(runs[72], r"^ckpt: checkpoint 1 of") + child_lines(second),
                    "the first boot's lines up to checkpoint 1, then the restored boot's")


check("ckpt-incremental", boot=Boot(monitors=["root", "ckpt:stop=2"], program="ckptwork"),
      parts=[Part("ckpt-incremental-pages", 2), Part("ckpt-incremental-restore", 2),
             Part("ckpt-incremental-power-cut", 1)])(ckpt_incremental)


test("ckpt-bad-option", points=0,
     boot=Boot(monitors=["root", "ckpt:every=0"], program="ckptwork"),
     expect=[Console(r"^ckpt: bad option 'every=0' in mode=every=0; the options are every=N "
                     r"\(ms of guest time, 1 to 3600000\), restore, full and stop=K"),
             NoConsole(r"^ckptwork: "), End(3)])


def ckpt_nest_restore(t):
    """stack=ckpt,nest: the child is a monitor, whose child's space, threads, ports and
    memory lie in memory the checkpointer granted it, and which has a client of its own at
    the checkpointer for its child.  The program asks for a checkpoint after round 4 (nest
    passes the request up), or one is taken every 4 ms of guest time wherever the threads
    of both are (stopped after checkpoint 2); the machine stops; a fresh boot restores nest
    and its child whole, and the output of both boots is the whole output.  The program
    below nest is part of the image's build: the image restored under nest with another
    program is refused."""
    with t.part("ckpt-nest-request"):
        cut_and_restore(t, "stop=1", [ROUNDS, 4], below=["nest"])
        refused(t, disk_of(t),
                r"checkpoint 1 is of another build \(build [0-9a-f]{8}; the program here is "
                r"build [0-9a-f]{8}\)", program="hello", below=["nest"])
    with t.part("ckpt-nest-every"):
        cut_and_restore(t, "every=4+stop=2", [ROUNDS], below=["nest"])


check("ckpt-nest-restore", boot=Boot(monitors=["root", "ckpt:stop=1", "nest"],
                                     program="ckptwork", args=[str(ROUNDS), "4"]),
      parts=[Part("ckpt-nest-request", 1), Part("ckpt-nest-every", 1)])(ckpt_nest_restore)


# user/test/ckptring under stack=ckpt,pm: PROCS processes (the first and its forks) pass a
# token round a ring of pipes; only its holder prints, so the output is known in advance.
RING_PROCS, RING_ROUNDS = 3, 6
RING_SPIN, RING_WORDS = 40000, 4096     # user/test/ckptring/ckptring.c


def ring_expected(procs=RING_PROCS, rounds=RING_ROUNDS):
    """ckptring's output, computed here as its processes compute it (each forked with the
    first's heap, which each then writes in its own copy)."""
    mask = 0xffffffff
    state = [[list(range(RING_WORDS)), k + 1, 0] for k in range(procs)]
    out = []
    for r in range(1, rounds + 1):
        for k in range(procs):
            heap, x, s = state[k]
            for _ in range(RING_SPIN):
                x = (x * 1664525 + 1013904223) & mask
                heap[x % RING_WORDS] = (heap[x % RING_WORDS] + (x >> 7)) & mask
                s = (((s << 3) | (s >> 29)) & mask) ^ heap[(x >> 9) % RING_WORDS]
            state[k][1:] = [x, s]
            out.append("ckptring: round %d process %d sum=%08x" % (r, k, s))
    out += ["ckptring: process %d exited %d" % (k, k) for k in range(1, procs)]
    return out + ["ckptring: done"]


def ring_lines(run, before=None):
    out = []
    for s in lines(run):
        if before and re.match(before, s):
            break
        if s.startswith("ckptring: "):
            out.append(s)
    return out


def ckpt_pm_restore(t):
    """stack=ckpt,pm: the process manager and its three processes (the first and two
    forks: their spaces, threads, copied heaps, the pipes of the ring and the pm threads
    blocked in their READs) are checkpointed every 4 ms of guest time; the machine stops
    after checkpoint 2; a fresh boot restores them all and the output of both boots is
    the whole output, no line lost or printed twice."""
    disk = fresh_disk(t)
    args = [RING_PROCS, RING_ROUNDS]
    first = boot(t, "every=4+stop=2", args, disk, program="ckptring", below=["pm"])
    ended(first, 0, "the first boot")
    console_has(first, r"^ckpt: stopping the machine after checkpoint 2", "the first boot")
    second = boot(t, "restore", args, disk, program="ckptring", below=["pm"])
    ended(second, 0, "the restoring boot")
    console_has(second, r"^ckpt: restored pm from checkpoint 2", "the restoring boot")
    before, after = ring_lines(first), ring_lines(second)
    t.expect(before and after, "each boot must print some of the output: the first printed "
             "%d lines, the restored one %d" % (len(before), len(after)))
    same_output(before + after, "the first boot's lines then the restored boot's",
                ring_expected())


check("ckpt-pm-restore", points=2,
      boot=Boot(monitors=["root", "ckpt:every=4+stop=2", "pm"], program="ckptring",
                args=[str(RING_PROCS), str(RING_ROUNDS)]))(ckpt_pm_restore)
