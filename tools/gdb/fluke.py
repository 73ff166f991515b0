"""GDB commands for debugging Fluke: .gdbinit (made from .gdbinit.tmpl) sources this file,
then calls fluke_configure() with the object directory and the names of the programs and
monitors.  Every command reads the kernel's own data structures through the kernel's
debugging symbols (obj/kern/kernel); `help COMMAND` describes each one.

    usersym NAME          load a program's or monitor's symbols
    ubreak PROG LOCATION  a breakpoint that stops only in PROG's spaces
    whereami              which program, space and thread this stop is in
    fluke-threads         every thread: state, priority, program, what it waits on
    fluke-spaces          every space: its program, threads, memory, creator
    fluke-ports           every port and port set: its set, waiting clients and servers
    fluke-tree            the spaces as a tree: each under the space that created it

Every program and monitor is linked at the same addresses (user/user.ld: code from
0x01000000), so an address says nothing about which program runs there.  These commands
name a space's program by its code: the space runs program P if the first page of code it
maps at P's code address holds P's bytes (from P's ELF file).  The kernel keeps no name for
a space (a thread's name is its creator's), and code is what a student means by "hello".
"""
import os
import struct

import gdb

KERNBASE = 0xC0000000           # kern/arch/mmu.h: physical memory is mapped here
DIRECTMAP_MAX = 0x38000000      # ... up to this physical address
PAGE_SIZE = 4096
VM_DEPTH = 16                   # kern/vm/translate.h: the longest mapping chain
STATES = {"THREAD_RUNNABLE": "runnable", "THREAD_BLOCKED": "blocked",
          "THREAD_STOPPED": "stopped", "THREAD_DEAD": "dead"}

_config = {"objdir": "obj", "programs": [], "monitors": []}


def fluke_configure(objdir, programs, monitors):
    """Called by .gdbinit: where the build is, and the names make knows."""
    _config.update(objdir=objdir, programs=programs.split(), monitors=monitors.split())


# --- The programs' ELF files -------------------------------------------------------------

def elf_path(name):
    """The ELF file of program or monitor name, or None."""
    objdir = _config["objdir"]
    for kind in ("user", "monitors"):
        path = os.path.join(objdir, kind, name, name)
        if os.path.isfile(path):
            return path
    return None


def known_names():
    return _config["programs"] + _config["monitors"]


_code_cache = {}


def first_code_page(path):
    """(va, bytes) of the first page of code the loader maps from the ELF file at path: the
    file bytes of its first executable PT_LOAD segment, up to the end of that page.  None if
    the file is not a 32-bit ELF with code."""
    key = (path, os.path.getmtime(path))
    if key not in _code_cache:
        with open(path, "rb") as f:
            data = f.read()
        found = None
        if data[:5] == b"\x7fELF\x01":
            phoff, = struct.unpack_from("<I", data, 28)
            phentsize, phnum = struct.unpack_from("<HH", data, 42)
            for i in range(phnum):
                ptype, offset, vaddr, _, filesz, _, flags, _ = struct.unpack_from(
                    "<8I", data, phoff + i * phentsize)
                if ptype == 1 and flags & 1 and filesz:            # PT_LOAD, PF_X
                    n = min(filesz, PAGE_SIZE - vaddr % PAGE_SIZE)
                    found = (vaddr, data[offset:offset + n])
                    break
        _code_cache[key] = found
    return _code_cache[key]


# --- The kernel's data structures --------------------------------------------------------

def _kernel_objfile():
    for o in gdb.objfiles():
        if o.filename.endswith(os.path.join("kern", "kernel")):
            return o
    raise gdb.GdbError("no kernel symbols: run `symbol-file %s/kern/kernel` (.gdbinit does)"
                       % _config["objdir"])


def ksym(name, source=None):
    """The value of the kernel's variable name; source: the file of a static one (whose
    name no other file of the kernel uses for a static)."""
    if source:
        s = _kernel_objfile().lookup_static_symbol(name)
        if s is None or not s.symtab.filename.endswith(source):
            raise gdb.GdbError("the kernel has no static %s in %s" % (name, source))
        return s.value()
    s = _kernel_objfile().lookup_global_symbol(name)
    if s is None:
        raise gdb.GdbError("the kernel has no variable %s" % name)
    return s.value()


def ktype(name, function):
    """The kernel's type name, looked up from the kernel function that uses it (so a user
    program's type of the same name never gets in the way)."""
    f = _kernel_objfile().lookup_global_symbol(function)
    return gdb.lookup_type(name, gdb.block_for_pc(int(f.value().address)))


def addr(v):
    return int(v.cast(gdb.lookup_type("unsigned int"))) if v.type.code == gdb.TYPE_CODE_PTR \
        else int(v)


def container(ptr, typename, function, member):
    """The struct typename that holds the member whose address is ptr."""
    t = ktype(typename, function)
    offset = [f.bitpos // 8 for f in t.fields() if f.name == member][0]
    return gdb.Value(addr(ptr) - offset).cast(t.pointer())


def read(address, size):
    return gdb.selected_inferior().read_memory(address, size).tobytes()


def threads():
    t = ksym("all_threads", "thread/thread.c")
    while addr(t):
        yield t
        t = t["all_next"]


def spaces():
    v = ksym("all_spaces")
    while addr(v):
        yield container(v, "struct space", "space_pte", "in_all")
        v = v["next"]


def objects():
    """Every live object in the kernel's object table (kern/object/object.c)."""
    table = ksym("table", "object/object.c")
    lo, hi = table.type.range()
    for i in range(lo, hi + 1):
        ob = table[i]
        while addr(ob):
            yield ob
            ob = ob["hnext"]


def type_name(ob):
    return str(ob["type"]).replace("FLUKE_TYPE_", "").lower()


def as_space(ob):
    return ob.cast(ktype("struct space", "space_pte").pointer())


def current_thread():
    return ksym("current")


def translate(space, va):
    """The physical address space's va reaches down its chain of mappings and regions, as
    kern/vm/translate.c walks it (no PTE needed: it works for a space that never ran), or
    None where the chain stops."""
    phys = addr(ksym("phys_space").address)
    for _ in range(VM_DEPTH + 1):
        if not addr(space):
            return None
        if addr(space) == phys:
            return va
        if va >= KERNBASE:
            return None
        m, best = space["by_va"], None
        while addr(m):                  # the AVL tree's floor of va (kern/vm/mtree.c)
            if int(m["start_va"]) <= va:
                best, m = m, m["right"]
            else:
                m = m["left"]
        if best is None or va >= int(best["start_va"]) + int(best["size"]):
            return None
        region = best["region"]
        if not addr(region):
            return None
        offset = va - int(best["start_va"]) + int(best["region_off"])
        if offset >= int(region["size"]):
            return None
        va, space = int(region["start_va"]) + offset, region["space"]
    return None


def read_space(space, va, size):
    """size bytes at va of space (within one page), through the kernel's direct map of
    physical memory; None if the space maps no memory there."""
    pa = translate(space, va)
    if pa is None or pa + size > DIRECTMAP_MAX:
        return None
    try:
        return read(KERNBASE + pa, size)
    except gdb.MemoryError:
        return None


def programs_of(space):
    """The names of the programs whose first code page space maps: normally one; none for
    a space with no code (yet) or code of no program make built."""
    if not addr(space):
        return []
    pages, names = {}, []
    for name in known_names():
        path = elf_path(name)
        code = path and first_code_page(path)
        if not code:
            continue
        va, want = code
        if va not in pages:
            pages[va] = read_space(space, va, PAGE_SIZE - va % PAGE_SIZE)
        have = pages[va]
        if have is not None and have[:len(want)] == want:
            names.append(name)
    return names


def program_label(space, thread=None):
    """The program space runs; for a thread with no space, what it is instead."""
    if not addr(space):
        if thread is not None and not addr(thread["obj"]):
            return "(kernel)"           # the idle thread: no user object, no space
        return "(none)"
    names = programs_of(space)
    return "/".join(names) if names else "?"


def object_label(ob):
    """What a kernel object is, for a person: its type, kernel address, and the program of
    the space charged for it (the space whose thread created it)."""
    owner = ob["charge"]["target"]
    where = " of %s" % program_label(as_space(owner)) if addr(owner) else ""
    return "%s %#x%s" % (type_name(ob), addr(ob), where)


def kernel_thread_of(ob):
    """The struct thread behind thread object ob, or None."""
    found = [t for t in threads() if addr(t["obj"]) == addr(ob)]
    return found[0] if found else None


def waits_on(t):
    """What a blocked thread waits for, from its waiting_for link (the object whose queue
    it is on) and its wait queue; for a stopped thread, what it waited for."""
    if str(t["state"]) not in ("THREAD_BLOCKED", "THREAD_STOPPED"):
        return "-"
    target = t["waiting_for"]["target"]
    if addr(target):
        kind = type_name(target)
        if kind == "thread":            # its IPC peer, or the server of its idempotent call
            peer = kernel_thread_of(target)
            if peer is not None:
                return "its IPC peer, thread %#x (%s)" % (addr(peer), program_label(
                    peer["space"], peer))
        if kind == "mutex":
            owner = target.cast(ktype("struct mutex", "mutex_acquire").pointer())["owner"]
            return "%s, held by thread %#x" % (object_label(target), addr(owner))
        what = {"port": "a server, at", "pset": "a client (WAIT_RECEIVE), at",
                "cond": "a signal of"}.get(kind, "")
        return (what + " " + object_label(target)).strip()
    wq = t["wq"]
    if not addr(wq):
        return "-" if str(t["state"]) == "THREAD_STOPPED" else "?"
    where = gdb.execute("info symbol %#x" % addr(wq), to_string=True).strip()
    if where.startswith("readers in section"):
        return "console input (console_read)"
    return "kernel queue " + where.split(" in section")[0]


def space_threads(space):
    return [t for t in threads() if addr(t["space"]) == addr(space)]


# --- Commands -----------------------------------------------------------------------------

class FlukeCommand(gdb.Command):
    """A command that reads the kernel's state: a GDB error on the way (no connection, memory
    the kernel has not set up yet) becomes one line saying so."""

    needs_machine = True                # False: works before gdb is connected

    def __init__(self, name, category):
        super().__init__(name, category, gdb.COMPLETE_NONE)
        self.name = name

    def invoke(self, arg, from_tty):
        if self.needs_machine and not gdb.selected_inferior().pid:
            raise gdb.GdbError("%s: gdb is not connected to a machine: start one (make "
                               "qemu-nox-gdb) and connect (make gdb, or target remote)"
                               % self.name)
        try:
            self.run(gdb.string_to_argv(arg))
        except gdb.MemoryError as e:
            raise gdb.GdbError("%s: %s: the kernel has not set that up yet, or the machine "
                               "is not stopped in it" % (self.name, e))
        except gdb.error as e:
            raise gdb.GdbError("%s: %s%s" % (self.name, e, " (no machine: connect with "
                               "target remote, e.g. make qemu-nox-gdb and make gdb)"
                               if "registers" in str(e) or "not being run" in str(e) else ""))


class UserSym(FlukeCommand):
    """Load a user program's or monitor's symbols: usersym NAME (e.g. usersym hello,
usersym nest).  Every program and monitor is linked at the same addresses, so a plain
`break main` then stops in whichever space runs that address first (sh, the root monitor,
...) and GDB names the stop after NAME's symbols: use `ubreak NAME main` to stop only in
NAME's own spaces."""

    needs_machine = False

    def __init__(self):
        super().__init__("usersym", gdb.COMMAND_FILES)

    def run(self, words):
        if len(words) != 1:
            raise gdb.GdbError("usage: usersym NAME, where NAME is a program (%s) or a monitor "
                               "(%s)" % (" ".join(_config["programs"]),
                                         " ".join(_config["monitors"])))
        load_symbols(words[0])
        print("usersym: note: every program is linked at the same addresses; `break` stops "
              "in any space that runs the address.  `ubreak %s LOCATION` stops only in %s."
              % (words[0], words[0]))


def load_symbols(name):
    """Load name's symbols unless they are loaded; returns its ELF path."""
    path = elf_path(name)
    if path is None:
        objdir = _config["objdir"]
        raise gdb.GdbError(
            "usersym: no %s/user/%s/%s or %s/monitors/%s/%s (run make?)\n"
            "usersym: the programs are: %s\nusersym: the monitors are: %s" % (
                objdir, name, name, objdir, name, name, " ".join(_config["programs"]),
                " ".join(_config["monitors"])))
    if not any(os.path.abspath(o.filename) == os.path.abspath(path) for o in gdb.objfiles()):
        gdb.execute("add-symbol-file " + path)
    return path


def user_objfiles():
    return [o for o in gdb.objfiles() if o.filename and
            not o.filename.endswith(os.path.join("kern", "kernel"))]


class UserBreakpoint(gdb.Breakpoint):
    """A breakpoint at a user address that stops only when the current thread's space runs
    program prog; everywhere else the machine goes on, and the stop is only counted."""

    def __init__(self, prog, location, pc):
        super().__init__("*%#x" % pc)
        self.prog, self.where, self.pc = prog, location, pc
        self.passed = {}                # program -> stops there we went on from

    def stop(self):
        try:
            names = programs_of(current_thread()["space"])
        except (gdb.error, gdb.GdbError) as e:
            print("ubreak %d: can not tell the space's program (%s): stopping" % (
                self.number, e))
            return True
        if self.prog in names:
            return True
        key = "/".join(names) or "?"
        self.passed[key] = self.passed.get(key, 0) + 1
        return False

    def passed_text(self):
        if not self.passed:
            return "no stop elsewhere"
        return "went on from %d stop%s elsewhere (%s)" % (
            sum(self.passed.values()), "" if sum(self.passed.values()) == 1 else "s",
            ", ".join("%s %d" % kv for kv in sorted(self.passed.items())))


def user_breakpoints():
    return [b for b in gdb.breakpoints() if isinstance(b, UserBreakpoint) and b.is_valid()]


class UBreak(FlukeCommand):
    """A breakpoint in one program: ubreak PROG LOCATION (e.g. ubreak hello main,
ubreak sh sh.c:90, ubreak hello *0x0100005b).  It loads PROG's symbols (usersym PROG),
finds LOCATION in them, and stops only when the space running that address runs PROG:
the same address in sh, a monitor or any other program's space is passed over silently
(and counted).  With no arguments, lists the ubreak breakpoints and what each passed over.
Remove one with `delete N` like any breakpoint."""

    needs_machine = False               # a breakpoint may be set before connecting

    def __init__(self):
        super().__init__("ubreak", gdb.COMMAND_BREAKPOINTS)

    def run(self, words):
        if not words:
            found = user_breakpoints()
            for b in found:         # GDB counts only the hits stop() let stop
                print("ubreak %d: %s %s at %#x: stopped %d time%s; %s" % (
                    b.number, b.prog, b.where, b.pc, b.hit_count,
                    "" if b.hit_count == 1 else "s", b.passed_text()))
            if not found:
                print("no ubreak breakpoints; set one with ubreak PROG LOCATION")
            return
        if len(words) != 2:
            raise gdb.GdbError("usage: ubreak PROG LOCATION, e.g. ubreak hello main")
        prog, location = words
        path = load_symbols(prog)
        for pc in self.resolve(prog, path, location):
            b = UserBreakpoint(prog, location, pc)
            print("ubreak %d: stops at %#x only in %s's spaces" % (b.number, pc, prog))
        others = [o.filename for o in user_objfiles()
                  if os.path.abspath(o.filename) != os.path.abspath(path)]
        if others:
            print("ubreak: note: the symbols of %s are loaded too, at the same addresses: GDB "
                  "may name %s's code after them; drop them with: %s" % (
                      ", ".join(os.path.basename(f) for f in others), prog,
                      "; ".join("remove-symbol-file " + f for f in others)))

    @staticmethod
    def resolve(prog, path, location):
        """The addresses of location in prog's symbols alone: other programs' symbols at the
        same addresses are set aside while GDB resolves it (with both, GDB merges locations
        at one address and keeps whichever symbols it found first)."""
        if location.startswith("*"):
            return [int(gdb.parse_and_eval(location[1:]))]
        others = [o.filename for o in user_objfiles()
                  if os.path.abspath(o.filename) != os.path.abspath(path)]
        for f in others:
            gdb.execute("remove-symbol-file " + f, to_string=True)
        try:
            _, sals = gdb.decode_line(location)
        except gdb.error as e:
            raise gdb.GdbError("ubreak: %s has no %s (%s)" % (prog, location, e))
        finally:
            for f in others:
                gdb.execute("add-symbol-file " + f, to_string=True)
        pcs = sorted({s.pc for s in sals or ()})
        if not pcs:
            raise gdb.GdbError("ubreak: %s has no %s" % (prog, location))
        return pcs


def function_at(pc):
    """The function symbol GDB has for pc (from whichever symbol file covers it), or None."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        return None
    while block is not None and block.function is None:     # up from a lexical block
        block = block.superblock
    return block.function if block else None


def borrowed_symbols(fn, space):
    """The program whose symbols GDB uses for fn, if fn is a user program's function and that
    program is not the one space runs (GDB then shows that program's names and variables
    for another program's code); else None."""
    if fn is None:
        return None
    objfile = os.path.abspath(fn.symtab.objfile.filename)
    names = programs_of(space)
    mine = [n for n in names if elf_path(n) and os.path.abspath(elf_path(n)) == objfile]
    if mine or objfile.endswith(os.path.join("kern", "kernel")):
        return None
    return os.path.basename(objfile)


def on_stop(event):
    """After a ubreak stop, say where it is and what it passed over; after any stop in user
    mode whose symbols belong to another program than the space's, say so."""
    if not gdb.selected_inferior().pid:
        return
    try:
        space = current_thread()["space"]
        for b in getattr(event, "breakpoints", ()):
            if isinstance(b, UserBreakpoint):
                print("ubreak %d: in %s (space %#x, thread %#x); %s" % (
                    b.number, b.prog, addr(space), addr(current_thread()), b.passed_text()))
        if int(gdb.parse_and_eval("$cs")) & 3 != 3:
            return
        other = borrowed_symbols(function_at(int(gdb.parse_and_eval("$pc"))), space)
        if other:
            print("fluke: careful: this stop is in %s's space (%#x), but GDB shows %s's "
                  "symbols for it: names, arguments and lines are %s's, not this code's.  "
                  "ubreak %s LOCATION stops only in %s." % (
                      program_label(space), addr(space), other, other, other, other))
    except (gdb.error, gdb.GdbError):
        pass                            # no kernel state yet (before paging): nothing to say


class WhereAmI(FlukeCommand):
    """Which program, space and thread this stop is in: the kernel's current thread, the
space it runs in (page directory, and whether $cr3 agrees), the program that space runs
(named by its code), and whether the CPU is in user mode or in the kernel on its behalf."""

    def __init__(self):
        super().__init__("whereami", gdb.COMMAND_STATUS)

    def run(self, words):
        pc = int(gdb.parse_and_eval("$pc"))
        user = int(gdb.parse_and_eval("$cs")) & 3 == 3
        t = current_thread()
        if not addr(t):
            print("no current thread (the kernel has not started scheduling); pc %#x" % pc)
            return
        space = t["space"]
        pgdir = int(space["pgdir_pa"]) if addr(space) else None
        try:
            cr3 = int(gdb.parse_and_eval("$cr3")) & ~0xfff
            agree = "$cr3 agrees" if cr3 == pgdir else "$cr3 is %#x" % cr3
        except gdb.error:
            agree = "no $cr3 from this gdb stub"
        where = "user mode" if user else "the kernel"
        print("program %s, space %s, thread %#x (priority %d)" % (
            program_label(space, t), "%#x (page directory %#x; %s)" % (
                addr(space), pgdir, agree) if addr(space) else "none", addr(t),
            int(t["prio"])))
        print("in %s at %#x%s" % (where, pc, self.function(pc, space, user)))

    @staticmethod
    def function(pc, space, user):
        fn = function_at(pc)
        if fn is None:
            return ""
        other = borrowed_symbols(fn, space) if user else None
        if other:
            names = programs_of(space)
            return " (the symbols there are %s's, not this program's: usersym %s)" % (
                other, names[0] if names else "NAME")
        return " in %s" % fn.print_name


class FlukeThreads(FlukeCommand):
    """List every kernel thread: its address, the program of its space, its state
(running: the current thread), priority, user eip, and what a blocked thread waits on
(a port's set for a server, a port set for a client, an IPC peer, a mutex, a condition,
console input) with its IPC connections."""

    def __init__(self):
        super().__init__("fluke-threads", gdb.COMMAND_STATUS)

    def run(self, words):
        cur = addr(current_thread())
        print("  %-10s %-8s %-8s %4s %-10s %-10s %s" % (
            "thread", "program", "state", "prio", "space", "user eip", "waits for"))
        user = int(gdb.parse_and_eval("$cs")) & 3 == 3
        for t in threads():
            state = "running" if addr(t) == cur else STATES.get(str(t["state"]),
                                                                  str(t["state"]))
            if addr(t) == cur and user:         # its trapframe is from its last trap
                eip = "%#010x" % int(gdb.parse_and_eval("$pc"))
            elif addr(t["space"]) and addr(t["tf"]):
                eip = "%#010x" % int(t["tf"]["eip"])
            else:
                eip = "-"
            peers = [("server", t["ipc_peer"][0]), ("client", t["ipc_peer"][1])]
            ipc = "".join("; %s %#x" % (k, addr(p)) for k, p in peers if addr(p))
            print("%s %#010x %-8s %-8s %4d %-10s %-10s %s%s" % (
                "*" if addr(t) == cur else " ", addr(t), program_label(t["space"], t),
                state, int(t["prio"]), "%#x" % addr(t["space"]) if addr(t["space"]) else "-",
                eip, waits_on(t), ipc))


class FlukeSpaces(FlukeCommand):
    """List every space (Fluke's task): its address, page directory, the program it runs
(named by its code), how many threads run in it, the kernel memory charged to it, and
the space that created it (whose thread made the space object)."""

    def __init__(self):
        super().__init__("fluke-spaces", gdb.COMMAND_STATUS)

    def run(self, words):
        print("%-10s %-10s %-8s %7s %-17s %s" % (
            "space", "pgdir", "program", "threads", "kmem used/limit", "created by"))
        for s in spaces():
            print("%#010x %#010x %-8s %7d %8d/%-8d %s" % (
                addr(s), int(s["pgdir_pa"]), program_label(s), len(space_threads(s)),
                int(s["mem_used"]), int(s["mem_limit"]), self.creator(s)))

    @staticmethod
    def creator(s):
        """Who made s: the space its charge link targets (the first task's space is
        charged to itself; a link is null once the space it targeted is destroyed)."""
        if addr(s) == addr(ksym("root_space", "init/roottask.c")):
            return "the kernel"
        creator = as_space(s["ob"]["charge"]["target"])
        if not addr(creator):
            return "a space now gone"
        return "%s %#x" % (program_label(creator), addr(creator))


class FlukePorts(FlukeCommand):
    """List every port set and its ports: for each port its alias and the clients waiting
on it for a server; for each set the servers waiting in WAIT_RECEIVE; each with the
program of the space that created it."""

    def __init__(self):
        super().__init__("fluke-ports", gdb.COMMAND_STATUS)

    def run(self, words):
        obs = list(objects())
        ports = [o.cast(ktype("struct port", "port_wait").pointer()) for o in obs
                 if type_name(o) == "port"]
        psets = [o.cast(ktype("struct pset", "pset_first_server").pointer()) for o in obs
                 if type_name(o) == "pset"]
        for ps in psets + [None]:
            if ps is None:
                mine = [p for p in ports if not addr(p["pset"]["target"])]
                if mine:
                    print("ports in no set:")
            else:
                mine = [p for p in ports if addr(p["pset"]["target"]) == addr(ps)]
                print("%s: servers waiting: %s" % (
                    object_label(ps["ob"].address), waiters(ps["servers"])))
            for p in mine:
                print("  %s, alias %#x: clients waiting: %s" % (
                    object_label(p["ob"].address), int(p["alias"]), waiters(p["senders"])))
        if not ports and not psets:
            print("no ports or port sets")


def waiters(q):
    t, found = q["head"], []
    while addr(t):
        found.append("%#x (%s)" % (addr(t), program_label(t["space"])))
        t = t["next"]
    return ", ".join(found) or "none"


class FlukeTree(FlukeCommand):
    """The monitor tree: every space under the space that created it (the kernel charges
a space to the space whose thread made it), the root monitor at the top.  A program's
spawn asks its monitor (the Parent protocol), so what sh starts sits beside sh, under the
monitor that loaded it; a nested monitor's programs sit under it.  Each line gives the
program, the space and its threads (* the current one)."""

    def __init__(self):
        super().__init__("fluke-tree", gdb.COMMAND_STATUS)

    def run(self, words):
        every = list(spaces())
        known = {addr(s) for s in every}
        children = {}
        for s in every:
            parent = addr(s["ob"]["charge"]["target"])
            children.setdefault(parent if parent in known and parent != addr(s) else 0,
                                []).append(s)
        cur = addr(current_thread())

        def show(s, depth):
            ts = space_threads(s)
            print("%s%s  space %#x, %d thread%s: %s" % (
                "  " * depth, program_label(s), addr(s), len(ts), "" if len(ts) == 1 else "s",
                " ".join(("*" if addr(t) == cur else "") + "%#x" % addr(t) for t in ts)))
            for c in children.get(addr(s), []):
                show(c, depth + 1)

        for s in children.get(0, []):
            show(s, 0)
        if not every:
            print("no spaces yet")


UserSym()
UBreak()
WhereAmI()
FlukeThreads()
FlukeSpaces()
FlukePorts()
FlukeTree()
gdb.events.stop.connect(on_stop)
