#!/usr/bin/env python3
"""Check the tools this project needs and say exactly how to fix what is wrong.

    doctor.py                  check every tool; exit 1 if one is missing or too old
    doctor.py --for "GOALS"    check only what those make targets need (qemu-nox needs the
                               compiler and QEMU, bochs needs Bochs, gdb needs gdb, ...)
    doctor.py --install        also install the missing Debian packages when running as
                               root or with password-less sudo (else print the command)
    doctor.py --quiet          print only problems

make passes the tools it will really use (`make setup` and every target that runs it):
--cc, --gccprefix (the GNUmakefile's, which finds an i386-elf- or i686-elf- cross
toolchain on the PATH, or conf/local.mk's), --qemu, --bochs and --gdb, and the build's
--cflags, --ld and --ldflags: the compiler check compiles and links a program that needs
libgcc exactly as the build does.  Run by hand, the
doctor finds them the way the GNUmakefile does.  Python 3 standard library only.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emulator  # noqa: E402  (lives next to this file: the Bochs ROM paths)

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MIN_PYTHON = (3, 9)
MIN_GCC = 9
# The grader runs QEMU with -action shutdown=pause (QEMU 6.0) and counts instructions with
# QMP's query-replay (5.2).
MIN_QEMU = (6, 0)
# The bochsrc emulator.py writes, and the Bochs budgets, are made for Bochs 2.7.
MIN_BOCHS = (2, 7)
# .gdbinit's commands are GDB Python (tools/gdb/fluke.py): Objfile.lookup_static_symbol
# is GDB 9's.
MIN_GDB = (9, 1)

# What each make target needs besides Python and make (which every target needs).  The
# grader's tests boot QEMU and Bochs and drive gdb, and its doctor test runs `make doctor`,
# which checks everything: so test and grade need every tool.
BUILD = ["compiler", "binutils"]
EVERYTHING = BUILD + ["qemu", "gdb", "bochs"]
TARGET_NEEDS = {
    "qemu": BUILD + ["qemu"],
    "qemu-nox": BUILD + ["qemu"],
    "qemu-gdb": BUILD + ["qemu", "gdb"],
    "qemu-nox-gdb": BUILD + ["qemu", "gdb"],
    "gdb": ["gdb"],
    "bochs": BUILD + ["bochs"],
    "bochs-nox": BUILD + ["bochs"],
    "bench": BUILD + ["qemu"],
    "grade-debug": BUILD + ["qemu", "gdb"],
    "run-": BUILD + ["qemu"],         # run-NAME (a Bochs-only test needs bochs: it says so)
    "test": EVERYTHING,
    "grade": EVERYTHING,
    "grade-lab": EVERYTHING,        # grade-labN
    "setup": EVERYTHING,
    "doctor": EVERYTHING,
}


def needs_for(goals):
    """The checks the make goals need (besides python and make); every check for none."""
    wanted = set()
    for goal in goals:
        key = ("grade-lab" if re.match(r"^grade-lab\d+$", goal) else
               "run-" if goal.startswith("run-") else goal)
        wanted.update(TARGET_NEEDS.get(key, []))
    return wanted or set(EVERYTHING)


def targets_needing(name):
    """The make targets that need check name, for messages."""
    names = {"grade-lab": "grade-labN", "run-": "run-NAME"}
    return [names.get(t, t) for t, needs in TARGET_NEEDS.items()
            if name in needs and t not in ("setup", "doctor")]


def platform():
    """debian (apt-get works), macos, or other."""
    if shutil.which("apt-get"):
        return "debian"
    return "macos" if sys.platform == "darwin" else "other"


def run(argv, **kw):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, universal_newlines=True, timeout=60,
                           **kw)
        return p.returncode, p.stdout
    except (OSError, ValueError, subprocess.TimeoutExpired) as e:
        return 127, str(e)


def version(text, pattern=r"(\d+)\.(\d+)"):
    m = re.search(pattern, text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def dotted(v):
    return "%d.%d" % v


def first_line(text):
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


# The GNUmakefile's CFLAGS and LDFLAGS in short, for a doctor run by hand (make passes
# the real ones).
DEFAULT_CFLAGS = "-m32 -std=c11 -ffreestanding -fno-pie -fno-pic -O1 -Wall -Wextra -Werror"
DEFAULT_LDFLAGS = "-m elf_i386 -nostdlib"


class Tools:
    """The programs make uses: from the command line (make passes them), else found as
    the GNUmakefile finds them."""

    def __init__(self, args):
        self.gccprefix = args.gccprefix if args.gccprefix is not None else find_gccprefix()
        self.cc = args.cc or self.gccprefix + "gcc"
        self.qemu = args.qemu or os.environ.get("QEMU", "qemu-system-i386")
        self.bochs = args.bochs or os.environ.get("BOCHS", "bochs")
        self.gdb = args.gdb or os.environ.get("GDB", "gdb")
        self.ld = args.ld or self.gccprefix + "ld"
        self.cflags = args.cflags if args.cflags is not None else DEFAULT_CFLAGS
        self.ldflags = args.ldflags if args.ldflags is not None else DEFAULT_LDFLAGS

    @property
    def cross(self):
        return self.gccprefix != ""


def find_gccprefix():
    """GCCPREFIX as the GNUmakefile sets it: from the environment, from conf/local.mk, else
    the first of i386-elf- and i686-elf- whose objdump knows elf32-i386, else none."""
    if "GCCPREFIX" in os.environ:
        return os.environ["GCCPREFIX"]
    try:
        with open(os.path.join(TOP, "conf", "local.mk")) as f:
            for line in f:
                m = re.match(r"^\s*(?:override\s+)?GCCPREFIX\s*[:?]?=\s*(\S*)", line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    for prefix in ("i386-elf-", "i686-elf-"):
        code, out = run([prefix + "objdump", "-i"])
        if code == 0 and re.search(r"^elf32-i386$", out, re.M):
            return prefix
    return ""


class Check:
    """One requirement: its name, how to fix it (Debian packages, Homebrew formulae, and
    words for what a package can not fix), and what was found wrong (problem)."""

    def __init__(self, name, function, apt, brew):
        self.name, self.function, self.apt, self.brew = name, function, apt, brew
        self.problem = None
        self.hint = None            # advice that no package install gives
        self.note = None            # one more line after the fix

    def run(self, tools):
        self.problem = self.hint = self.note = None
        return self.function(self, tools)

    def too_old(self, what, found, program, needed, why=""):
        self.problem = "%s %s found (%s); need %s or newer%s" % (
            what, dotted(found), program, dotted(needed), why)
        self.note = OLD_DISTRIBUTION


OLD_DISTRIBUTION = ("if your system's package is this old, use Debian 12, Ubuntu 22.04 or "
                    "newer (or Homebrew on macOS)")


def check_python(c, tools):
    if sys.version_info[:2] < MIN_PYTHON:
        c.problem = "Python %s found; need %s or newer" % (
            dotted(sys.version_info[:2]), dotted(MIN_PYTHON))
    return "Python %d.%d.%d" % sys.version_info[:3]


def check_make(c, tools):
    code, out = run([os.environ.get("MAKE", "make"), "--version"])
    if code != 0 or "GNU Make" not in out:
        code, out = run(["make", "--version"])
    if code != 0 or "GNU Make" not in out:
        c.problem = "GNU make not found"
        return None
    return first_line(out)


def cross_hint(c, tools, what):
    """The toolchain is a cross one (GCCPREFIX): no Debian package fixes it."""
    c.apt = []
    c.hint = ("GCCPREFIX is %r, but %s. Install the %s cross toolchain (macOS: brew install "
              "%sgcc %sbinutils), or set GCCPREFIX to the right prefix in conf/local.mk, or "
              "leave it empty to use the host's gcc -m32 (Debian: sudo apt-get install -y "
              "gcc-multilib)" % (tools.gccprefix, what, tools.gccprefix.rstrip("-"),
                                 tools.gccprefix, tools.gccprefix))


# 64-bit division on 32-bit x86: gcc calls libgcc's __udivdi3 and __umoddi3, as
# lib/fmt.c does.  Written to compile under the build's -Wall -Wextra -Werror.
LIBGCC_PROGRAM = """\
unsigned long long divide(unsigned long long a, unsigned long long b);
unsigned long long divide(unsigned long long a, unsigned long long b) { return a / b + a % b; }
"""


def elf_kind(path):
    """(class, machine) of the ELF file path, or of the first object in the ar archive
    path: class 1 is 32-bit, 2 is 64-bit; machine 3 is i386, 62 x86-64.  None if neither."""
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
            if magic[:4] == b"\x7fELF":
                head = magic + f.read(12)
            elif magic == b"!<arch>\n":
                head = b""
                while True:
                    member = f.read(60)
                    if len(member) < 60:
                        return None
                    name, size = member[:16].strip(), int(member[48:58])
                    if name not in (b"/", b"//", b"/SYM64/", b"__.SYMDEF"):
                        head = f.read(20)
                        break
                    f.seek(size + size % 2, 1)
            else:
                return None
    except (OSError, ValueError):
        return None
    if head[:4] != b"\x7fELF" or len(head) < 20:
        return None
    return head[4], int.from_bytes(head[18:20], "little")


def build_problem(tools, d):
    """Compile, with the build's compiler and CFLAGS, a program that needs libgcc, and link
    it with the build's ld, LDFLAGS and libgcc (the GNUmakefile's LIBGCC: cc -m32
    -print-libgcc-file-name).  The problem in words, or None when the link works."""
    cc = shlex.split(tools.cc) or ["gcc"]
    src, obj, exe = (os.path.join(d, n) for n in ("t.c", "t.o", "t"))
    with open(src, "w") as f:
        f.write(LIBGCC_PROGRAM)
    code, out = run(cc + shlex.split(tools.cflags) + ["-c", "-o", obj, src])
    if code != 0:
        return "%s %s cannot compile 32-bit C: %s" % (tools.cc, tools.cflags, first_line(out))
    code, lib = run(cc + ["-m32", "-print-libgcc-file-name"])
    lib = lib.strip()
    if code != 0 or not os.path.isfile(lib):
        return "%s -m32 has no libgcc (-print-libgcc-file-name says %r)" % (tools.cc, lib)
    kind = elf_kind(lib)
    if kind != (1, 3):
        return ("%s -m32 -print-libgcc-file-name gives %s, which is %s, not 32-bit x86: "
                "the 32-bit libgcc is missing" % (
                    tools.cc, lib, "64-bit x86" if kind == (2, 62) else "not 32-bit x86"))
    code, out = run(shlex.split(tools.ld) + shlex.split(tools.ldflags) +
                    ["-e", "divide", "-o", exe, obj, lib])
    if code != 0:
        return "%s %s cannot link a 32-bit program against %s: %s" % (
            tools.ld, tools.ldflags, lib, first_line(out))
    return None


def check_gcc(c, tools):
    cc = shlex.split(tools.cc) or ["gcc"]
    code, out = run(cc + ["--version"])
    if code != 0:
        c.problem = "%s not found" % tools.cc
        if tools.cross:
            cross_hint(c, tools, "%s is not on the PATH" % tools.cc)
        return None
    found = "%s: %s" % (tools.cc, first_line(out))
    major = (version(out) or (0, 0))[0]
    if major < MIN_GCC:
        c.too_old("GCC", (major, 0), tools.cc, (MIN_GCC, 0))
        return found
    with tempfile.TemporaryDirectory() as d:
        c.problem = build_problem(tools, d)
    if c.problem and tools.cross:
        cross_hint(c, tools, "%s cannot build and link 32-bit code" % tools.cc)
    return found


def check_binutils(c, tools):
    prefix = tools.gccprefix
    missing = [prefix + t for t in ("ld", "objcopy", "objdump", "nm", "ar")
               if not shutil.which(prefix + t)]
    if missing:
        c.problem = "missing %s" % ", ".join(missing)
        if tools.cross:
            cross_hint(c, tools, "%s %s missing" % (", ".join(missing),
                                                    "is" if len(missing) == 1 else "are"))
        return None
    code, out = run([prefix + "objdump", "-i"])
    if not re.search(r"^elf32-i386$", out, re.M):
        c.problem = "%sobjdump does not support elf32-i386" % prefix
        if tools.cross:
            cross_hint(c, tools, "its objdump does not know elf32-i386")
    return "%sld: %s" % (prefix, first_line(run([prefix + "ld", "--version"])[1]))


def check_qemu(c, tools):
    qemu = shlex.split(tools.qemu) or ["qemu-system-i386"]
    if not shutil.which(qemu[0]):
        c.problem = "%s not found" % tools.qemu
        return None
    code, out = run(qemu + ["--version"])
    if code != 0:
        c.problem = "%s --version failed: %s" % (tools.qemu, first_line(out))
        return None
    found = version(out, r"version (\d+)\.(\d+)") or version(out)
    if found is None:
        c.problem = "cannot tell which QEMU %s is (it printed %r); need %s or newer" % (
            tools.qemu, first_line(out), dotted(MIN_QEMU))
    elif found < MIN_QEMU:
        c.too_old("QEMU", found, tools.qemu, MIN_QEMU, " (the grader uses -action "
                  "shutdown=pause and QMP's query-replay)")
    else:
        c.problem = qemu_start_problem(qemu, tools.qemu)
    return "%s: %s" % (tools.qemu, first_line(out))


def qemu_start_problem(qemu, name):
    """Start QEMU as the grader does (its machine, devices, -icount and -action options,
    halted), then quit it from its monitor; the problem in words, or None."""
    argv = qemu + emulator.qemu_argv("", serial="null", icount=True, sleep=False, halt=True,
                                     pause_at_shutdown=True)[1:] + ["-monitor", "stdio"]
    try:
        p = subprocess.run(argv, input="quit\n", stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "%s does not start as the grader runs it: %s" % (name, e)
    if p.returncode != 0:
        errors = [l for l in p.stdout.splitlines() if "warning" not in l] or [""]
        return "%s does not start as the grader runs it (status %d): %s" % (
            name, p.returncode, errors[0])
    return None


def check_bochs(c, tools):
    bochs = shlex.split(tools.bochs) or ["bochs"]
    if not shutil.which(bochs[0]):
        c.problem = "%s not found" % tools.bochs
        return None
    # Bochs has no --version: it prints its banner when it stops, here at once, on a
    # configuration file that does not exist.
    with tempfile.TemporaryDirectory() as d:
        code, out = run(bochs + ["-q", "-f", os.path.join(d, "none")], cwd=d)
    found = version(out, r"Bochs x86 Emulator (\d+)\.(\d+)")
    if found is not None and found < MIN_BOCHS:
        c.too_old("Bochs", found, tools.bochs, MIN_BOCHS)
        return None
    missing = [r for r in (emulator.BOCHS_BIOS, emulator.VGA_BIOS) if not os.path.exists(r)]
    if missing:
        c.problem = "Bochs ROM images missing: %s" % ", ".join(missing)
    return "Bochs %s (%s)" % (dotted(found) if found else "of unknown version",
                              shutil.which(bochs[0]))


def check_gdb(c, tools):
    gdb = shlex.split(tools.gdb) or ["gdb"]
    code, out = run(gdb + ["-n", "-batch", "-ex", "set architecture i386"])
    if code != 0:
        c.problem = "%s not found or it cannot debug i386 code" % tools.gdb
        return None
    if run(gdb + ["-n", "-batch", "-ex", "python import gdb"])[0] != 0:
        c.problem = "%s has no Python, which .gdbinit's commands need (tools/gdb/fluke.py)" \
            % tools.gdb
        return None
    out = run(gdb + ["--version"])[1]
    found = version(first_line(out))
    if found is not None and found < MIN_GDB:
        c.too_old("GDB", found, tools.gdb, MIN_GDB, " (.gdbinit's commands need it)")
    return "%s: %s" % (tools.gdb, first_line(out))


# On macOS: Homebrew's cross toolchain, found by the GNUmakefile on the PATH by itself.
CHECKS = [
    Check("python", check_python, ["python3"], ["python"]),
    Check("make", check_make, ["make"], ["make"]),
    Check("compiler", check_gcc, ["gcc", "gcc-multilib"], ["i386-elf-gcc"]),
    Check("binutils", check_binutils, ["binutils"], ["i386-elf-binutils"]),
    Check("qemu", check_qemu, ["qemu-system-x86"], ["qemu"]),
    Check("gdb", check_gdb, ["gdb"], ["i386-elf-gdb"]),
    Check("bochs", check_bochs, ["bochs", "bochsbios", "vgabios"], ["bochs"]),
]


def install(packages):
    """Install with apt-get as root or through password-less sudo; False if we may not."""
    if not packages or not shutil.which("apt-get"):
        return False
    cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + packages
    if os.geteuid() != 0:
        if not shutil.which("sudo") or run(["sudo", "-n", "true"])[0] != 0:
            return False
        cmd = ["sudo", "-n"] + cmd
        update = ["sudo", "-n", "apt-get", "update"]
    else:
        update = ["apt-get", "update"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("doctor: installing %s" % " ".join(packages), flush=True)
    # apt and dpkg get no terminal input: what the user types ahead (a command for
    # the shell that is about to boot) stays for the program it was meant for.
    subprocess.call(update, env=env, stdin=subprocess.DEVNULL)
    return subprocess.call(cmd, env=env, stdin=subprocess.DEVNULL) == 0


def fix_line(packages, where):
    if where == "macos":
        return "brew install " + " ".join(packages)
    return "sudo apt-get install -y " + " ".join(packages)


def report(bad, where, tools):
    for c in bad:
        print("  MISSING  %-9s %s" % (c.name, c.problem))
        if c.hint:
            print("           fix: %s" % c.hint)
        elif where == "macos":
            print("           fix: %s" % fix_line(c.brew, where))
        else:
            print("           fix: %s%s" % (fix_line(c.apt, where),
                                           "" if where == "debian" else " (Debian names)"))
        if c.note:
            print("           %s" % c.note)
        users = targets_needing(c.name)
        if users:
            print("           needed by: make %s" % ", ".join(users))
    apt = sorted({p for c in bad if not c.hint for p in c.apt})
    brew = sorted({p for c in bad if not c.hint for p in c.brew})
    print("doctor: %d problem(s)." % len(bad))
    if where == "macos" and brew:
        print("With Homebrew one command installs what is missing:\n  " +
              fix_line(brew, "macos"))
        if any(c.name in ("compiler", "binutils") for c in bad):
            print("The GNUmakefile finds i386-elf- tools on the PATH by itself (GCCPREFIX in "
                  "conf/local.mk names another prefix).")
    if apt:
        print("On Debian or Ubuntu one command installs what is missing:\n  " +
              fix_line(apt, "debian"))
    if where == "other" and not tools.cross and \
            any(c.name in ("compiler", "binutils") for c in bad):
        print("On macOS, install an i386-elf cross toolchain instead: brew install "
              "i386-elf-gcc i386-elf-binutils (the GNUmakefile finds it on the PATH).")


def main(argv):
    p = argparse.ArgumentParser(description="Check the tools Fluke needs.")
    p.add_argument("--install", action="store_true",
                   help="install missing Debian packages (as root or with sudo -n)")
    p.add_argument("--quiet", action="store_true", help="print only problems")
    p.add_argument("--for", dest="goals", default="", metavar="GOALS",
                   help="the make targets to check for (default: every tool)")
    p.add_argument("--cc", help="the C compiler make uses")
    p.add_argument("--gccprefix", help="the binutils prefix make uses ('' for none)")
    p.add_argument("--qemu")
    p.add_argument("--bochs")
    p.add_argument("--gdb")
    p.add_argument("--cflags", help="the build's CFLAGS (the compiler check uses them)")
    p.add_argument("--ld", help="the linker make uses")
    p.add_argument("--ldflags", help="the build's LDFLAGS")
    args = p.parse_args(argv)
    tools = Tools(args)
    wanted = needs_for(args.goals.split())
    checks = [c for c in CHECKS if c.name in ("python", "make") or c.name in wanted]
    where = platform()

    def check_all():
        for c in checks:
            found = c.run(tools)
            if c.problem is None and not args.quiet:
                print("  ok       %-9s %s" % (c.name, found))
        return [c for c in checks if c.problem]

    bad = check_all()
    if bad and args.install:
        packages = sorted({p for c in bad if not c.hint for p in c.apt})
        if install(packages):
            bad = check_all()
    if bad:
        report(bad, where, tools)
        return 1
    if not args.quiet:
        print("doctor: everything needed is here.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
