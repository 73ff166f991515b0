"""The fresh-machine path with fake tools on a temporary PATH: what tools/doctor.py reports
for a gcc whose -m32 link fails, a too-old QEMU, a Bochs without ROMs and a missing gdb, and
the fix it prints or runs; and that reading the makefiles runs none of the tools `make
setup` installs (they would be asked before setup had installed them)."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
import gradelib  # noqa: F401  (puts tools/ on the import path)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REAL = {name: shutil.which(name) for name in ("gcc", "ld", "as", "objdump", "nm", "ar", "objcopy",
                                              "make", "sh", "find")}


def script(directory, name, body):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def link(directory, name):
    os.symlink(REAL[name], os.path.join(directory, name))


@unittest.skipUnless(all(REAL.values()), "needs the host's gcc, binutils and make")
class FakeToolsTest(unittest.TestCase):
    """A PATH holding only the fakes (and real make and binutils where named)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.bin = os.path.join(self.tmp.name, "bin")
        os.mkdir(self.bin)
        self.apt_log = os.path.join(self.tmp.name, "apt-get.log")
        for name in ("ld", "as", "objdump", "nm", "ar", "objcopy", "make"):
            link(self.bin, name)
        # gcc without gcc-multilib: -m32 compiles, but its libgcc is the 64-bit one, so a
        # link that needs __udivdi3 fails (lib/fmt.c's undefined references).
        script(self.bin, "gcc", 'case "$*" in *-print-libgcc-file-name*) exec %s '
               '-print-libgcc-file-name;; esac\nexec %s "$@"' % (REAL["gcc"], REAL["gcc"]))
        script(self.bin, "qemu-system-i386", 'echo "QEMU emulator version 5.2.0"')
        script(self.bin, "bochs", 'echo "Bochs x86 Emulator 2.7"; exit 1')
        script(self.bin, "apt-get", 'echo "$*" >> %s' % self.apt_log)
        script(self.bin, "sudo", '[ "$1" = -n ] && shift; [ "$1" = true ] && exit 0; exec "$@"')
        # no gdb at all
        self.rom = os.path.join(self.tmp.name, "no-such-BIOS")

    def tearDown(self):
        self.tmp.cleanup()

    def doctor(self, *argv, euid=0):
        """Run the doctor on the fake PATH in a Python of its own: PATH, geteuid and stdout
        are the whole process's, and the grader runs other self-tests beside this one."""
        child = ("import os, sys; sys.path[:0] = %r; import emulator, doctor; "
                 "emulator.BOCHS_BIOS = %r; os.geteuid = lambda: %d; "
                 "sys.exit(doctor.main(%r))" % (
                     [os.path.join(ROOT, "tools")], self.rom, euid,
                     ["--cc", "gcc", "--gccprefix", ""] + list(argv)))
        p = subprocess.run([sys.executable, "-c", child], env=dict(os.environ, PATH=self.bin),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=120)
        return p.returncode, p.stdout

    def assertReported(self, text, check, problem, fix):
        lines = text.splitlines()
        at = [i for i, l in enumerate(lines) if l.split()[:2] == ["MISSING", check]]
        self.assertEqual(len(at), 1, "no MISSING %s line in:\n%s" % (check, text))
        self.assertIn(problem, lines[at[0]], text)
        self.assertEqual(lines[at[0] + 1].strip(), "fix: " + fix, text)

    def test_each_report_and_its_fix(self):
        status, text = self.doctor()
        self.assertEqual(status, 1, text)
        self.assertReported(text, "compiler", "which is 64-bit x86, not 32-bit x86",
                            "sudo apt-get install -y gcc gcc-multilib")
        self.assertReported(text, "qemu", "QEMU 5.2 found (qemu-system-i386); need 6.0",
                            "sudo apt-get install -y qemu-system-x86")
        self.assertReported(text, "bochs", "Bochs ROM images missing: " + self.rom,
                            "sudo apt-get install -y bochs bochsbios vgabios")
        self.assertReported(text, "gdb", "gdb not found",
                            "sudo apt-get install -y gdb")
        self.assertIn("\n  sudo apt-get install -y bochs bochsbios gcc gcc-multilib gdb "
                      "qemu-system-x86 vgabios\n", text)
        self.assertIn("  ok       binutils", text)

    def test_a_link_that_fails_is_reported(self):
        # a 32-bit libgcc this time, but an ld that cannot link
        script(self.bin, "gcc", 'exec %s "$@"' % REAL["gcc"])
        os.remove(os.path.join(self.bin, "ld"))
        script(self.bin, "ld", "echo \"t.c:2: undefined reference to \\`__udivdi3'\" >&2; "
               "exit 1")
        status, text = self.doctor("--for", "qemu-nox", "--ld", "ld",
                                   "--ldflags=-m elf_i386 -nostdlib")
        self.assertEqual(status, 1, text)
        self.assertReported(text, "compiler", "ld -m elf_i386 -nostdlib cannot link a 32-bit "
                            "program against", "sudo apt-get install -y gcc gcc-multilib")
        self.assertIn("undefined reference to `__udivdi3'", text)

    def test_a_qemu_that_cannot_start_as_the_grader_runs_it(self):
        script(self.bin, "qemu-system-i386", 'case "$*" in --version) echo "QEMU emulator '
               'version 7.2.0";; *) echo "qemu-system-i386: could not load PC BIOS '
               "'bios-256k.bin'\"; exit 1;; esac")
        status, text = self.doctor("--for", "qemu-nox")
        self.assertReported(text, "qemu", "qemu-system-i386 does not start as the grader runs "
                            "it (status 1): qemu-system-i386: could not load PC BIOS",
                            "sudo apt-get install -y qemu-system-x86")

    def test_the_build_links_with_the_real_tools(self):
        script(self.bin, "gcc", 'exec %s "$@"' % REAL["gcc"])
        status, text = self.doctor("--for", "qemu-nox", "--quiet")
        self.assertNotIn("compiler", text)

    def test_install_runs_apt_get_for_exactly_what_is_missing(self):
        for euid in (0, 1000):      # root, then password-less sudo
            with self.subTest(euid=euid):
                if os.path.exists(self.apt_log):
                    os.remove(self.apt_log)
                status, text = self.doctor("--install", "--for", "qemu-nox", euid=euid)
                with open(self.apt_log) as f:
                    calls = f.read().splitlines()
                self.assertEqual(calls, ["update", "install -y --no-install-recommends gcc "
                                         "gcc-multilib qemu-system-x86"], text)
                self.assertIn("doctor: installing gcc gcc-multilib qemu-system-x86", text)

    def test_without_sudo_it_prints_the_line_and_stops(self):
        script(self.bin, "sudo", 'echo "sudo: a password is required" >&2; exit 1')
        status, text = self.doctor("--install", "--for", "qemu-nox", euid=1000)
        self.assertEqual(status, 1)
        self.assertFalse(os.path.exists(self.apt_log), "apt-get ran without sudo")
        self.assertNotIn("brew install", text, "macOS advice on Debian")
        self.assertIn("On Debian or Ubuntu one command installs what is missing:\n  sudo "
                      "apt-get install -y gcc gcc-multilib qemu-system-x86\n", text)


class ParseTimeTest(unittest.TestCase):
    """make reads the makefiles before `make setup` runs, so a tool asked then is asked
    before it is installed: the first build links without libgcc (issue: a fresh machine
    needed two runs).  Every tool setup installs, and the cross prefixes, log their calls."""

    TOOLS = ["gcc", "cc", "ld", "ar", "nm", "objcopy", "objdump", "qemu-system-i386",
             "bochs", "gdb"] + [p + t for p in ("i386-elf-", "i686-elf-")
                                for t in ("gcc", "objdump", "gdb")]

    @unittest.skipUnless(REAL["make"] and REAL["sh"] and REAL["find"], "needs make")
    def test_reading_the_makefiles_runs_no_tool(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "calls")
            for name in self.TOOLS:
                script(tmp, name, 'echo "%s $*" >> %s' % (name, log))
            for name in ("make", "sh", "find"):
                link(tmp, name)
            # -n: recipes are expanded (LIBGCC may be asked there) but nothing is run;
            # print-gdbport's recipe needs no tool, so any call is made while reading.
            p = subprocess.run([REAL["make"], "-n", "-C", ROOT, "--no-print-directory",
                                "print-gdbport"], env=dict(os.environ, PATH=tmp),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            self.assertEqual(p.returncode, 0, p.stdout)
            calls = open(log).read() if os.path.exists(log) else ""
        self.assertEqual(calls, "", "make ran these while reading the makefiles, before "
                         "make setup could install them:\n" + calls)


if __name__ == "__main__":
    unittest.main()
