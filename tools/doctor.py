#!/usr/bin/env python3
"""Check the tools this project needs and say exactly how to fix what is wrong.

    doctor.py              check everything; exit 1 if a required tool is missing
    doctor.py --install    also install the missing Debian packages when running as
                           root or with password-less sudo (else print the command)
    doctor.py --quiet      print only problems

The tools are looked up on PATH under the names make uses (CC, QEMU, BOCHS, GDB from
the environment; defaults gcc, qemu-system-i386, bochs, gdb).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MIN_PYTHON = (3, 9)
MIN_QEMU = (4, 0)
MIN_GCC = 9
BOCHS_ROMS = ["/usr/share/bochs/BIOS-bochs-latest", "/usr/share/vgabios/vgabios.bin"]


def run(argv, **kw):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=60, **kw)
        return p.returncode, p.stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        return 127, str(e)


def version(text):
    m = re.search(r"(\d+)\.(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


class Check:
    """One requirement: name, the Debian packages that fix it, whether it is optional."""

    def __init__(self, name, packages, optional=False):
        self.name, self.packages, self.optional = name, packages, optional
        self.problem = None


def check_python(c):
    if sys.version_info[:2] < MIN_PYTHON:
        c.problem = "Python %d.%d is too old (need %d.%d)" % (sys.version_info[:2] + MIN_PYTHON)
    return "Python %d.%d.%d" % sys.version_info[:3]


def check_make(c):
    code, out = run(["make", "--version"])
    if code != 0 or "GNU Make" not in out:
        c.problem = "GNU make not found"
        return None
    return out.splitlines()[0]


def check_gcc(c):
    cc = os.environ.get("CC", "gcc")
    code, out = run([cc, "--version"])
    if code != 0:
        c.problem = "%s not found" % cc
        return None
    major = version(out)[0]
    if major < MIN_GCC:
        c.problem = "%s is version %d; need %d or newer" % (cc, major, MIN_GCC)
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "t.c")
        with open(src, "w") as f:
            f.write("unsigned long long f(unsigned long long a, unsigned b) { return a / b; }\n")
        code, lib = run([cc, "-m32", "-print-libgcc-file-name"])
        code2, err = run([cc, "-m32", "-ffreestanding", "-c", "-o", os.path.join(d, "t.o"), src])
        if code2 != 0 or code != 0 or not os.path.exists(lib.strip()):
            c.problem = "%s cannot build 32-bit code (-m32 or its libgcc is missing)" % cc
    return out.splitlines()[0]


def check_binutils(c):
    prefix = os.environ.get("GCCPREFIX", "")
    missing = [t for t in ("ld", "objcopy", "nm", "ar") if not shutil.which(prefix + t)]
    if missing:
        c.problem = "missing %s" % ", ".join(prefix + t for t in missing)
        return None
    code, out = run([prefix + "objdump", "-i"])
    if "elf32-i386" not in out:
        c.problem = "%sobjdump does not support elf32-i386" % prefix
    return run([prefix + "ld", "--version"])[1].splitlines()[0]


def check_qemu(c):
    qemu = os.environ.get("QEMU", "qemu-system-i386")
    code, out = run([qemu, "--version"])
    if code != 0:
        c.problem = "%s not found" % qemu
        return None
    if version(out) < MIN_QEMU:
        c.problem = "QEMU %d.%d is too old (need %d.%d)" % (version(out) + MIN_QEMU)
    return out.splitlines()[0]


def check_bochs(c):
    bochs = os.environ.get("BOCHS", "bochs")
    if not shutil.which(bochs):
        c.problem = "%s not found" % bochs
        return None
    missing = [r for r in BOCHS_ROMS if not os.path.exists(r)]
    if missing:
        c.problem = "Bochs ROM images missing: %s" % ", ".join(missing)
    return shutil.which(bochs)


def check_gdb(c):
    gdb = os.environ.get("GDB", "gdb")
    code, out = run([gdb, "-n", "-batch", "-ex", "set architecture i386"])
    if code != 0:
        c.problem = "%s not found or it cannot debug i386 code" % gdb
        return None
    return run([gdb, "--version"])[1].splitlines()[0]


CHECKS = [
    (Check("python", ["python3"]), check_python),
    (Check("make", ["make"]), check_make),
    (Check("compiler", ["gcc", "gcc-multilib"]), check_gcc),
    (Check("binutils", ["binutils"]), check_binutils),
    (Check("qemu", ["qemu-system-x86"]), check_qemu),
    (Check("gdb", ["gdb"]), check_gdb),
    (Check("bochs", ["bochs", "bochsbios", "vgabios"]), check_bochs),
]


def install(packages):
    """Install with apt-get as root or through password-less sudo; False if we may not."""
    cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + packages
    if os.geteuid() != 0:
        if not shutil.which("sudo") or run(["sudo", "-n", "true"])[0] != 0:
            return False
        cmd = ["sudo", "-n"] + cmd
        update = ["sudo", "-n", "apt-get", "update"]
    else:
        update = ["apt-get", "update"]
    if not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("doctor: installing %s" % " ".join(packages), flush=True)
    subprocess.call(update, env=env)
    return subprocess.call(cmd, env=env) == 0


def main(argv):
    want_install = "--install" in argv
    quiet = "--quiet" in argv
    for c, fn in CHECKS:
        c.problem = None
        found = fn(c)
        if c.problem is None and not quiet:
            print("  ok       %-9s %s" % (c.name, found))
    bad = [c for c, _ in CHECKS if c.problem]
    if bad and want_install:
        packages = sorted({p for c in bad for p in c.packages})
        if install(packages):
            return main([a for a in argv if a != "--install"])
    for c in bad:
        print("  MISSING  %-9s %s" % (c.name, c.problem))
        print("           fix: sudo apt-get install -y %s" % " ".join(c.packages))
    if bad:
        print("doctor: %d problem(s). On Debian or Ubuntu one command fixes them all:\n"
              "  sudo apt-get install -y %s" % (len(bad), " ".join(sorted({p for c in bad for p in c.packages}))))
        if any("GCCPREFIX" in os.environ or c.name == "compiler" for c in bad):
            print("On macOS, install an i386-elf cross toolchain (brew install i386-elf-gcc "
                  "i386-elf-binutils) and set GCCPREFIX=i386-elf- in conf/local.mk.")
        return 1
    if not quiet:
        print("doctor: everything needed is here.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
