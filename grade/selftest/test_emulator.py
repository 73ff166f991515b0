"""tools/emulator.py: what an interactive run's exit status says (make qemu-nox), the GDB
port (GDBPORT honoured, else a free one, kept for make gdb), QEMU failing to start failing
loudly, one run per tree, and Bochs's console bridge (quiet, records to a file, Ctrl-a x
and Ctrl-C quit, the terminal restored)."""
import os
import pty
import select
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import termios
import time
import unittest

import gradelib  # noqa: F401  (puts tools/ on the import path)
import emulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMULATOR = os.path.join(ROOT, "tools", "emulator.py")


def executable(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


class RunStatusTest(unittest.TestCase):
    def test_qemu_clean_shutdown_succeeds(self):
        self.assertEqual(emulator.run_status("qemu", 1), 0)     # END status=0

    def test_qemu_reports_the_kernels_end_status(self):
        self.assertEqual(emulator.run_status("qemu", 3), 1)     # panic
        self.assertEqual(emulator.run_status("qemu", 7), 3)     # the first task failed

    def test_qemu_own_failures_pass_through(self):
        self.assertEqual(emulator.run_status("qemu", 0), 0)     # Ctrl-a x, or a triple fault
        self.assertEqual(emulator.run_status("qemu", 2), 2)

    def test_bochs_quit_after_shutdown_succeeds(self):
        self.assertEqual(emulator.run_status("bochs", 1), 0)
        self.assertEqual(emulator.run_status("bochs", 127), 127)


class GdbPortTest(unittest.TestCase):
    def test_the_search_starts_at_the_users_port(self):
        self.assertEqual(emulator.preferred_gdb_port(0), 26000)
        self.assertEqual(emulator.preferred_gdb_port(4001), 26001)

    def test_taken_ports_are_skipped_and_the_range_wraps(self):
        taken = {29998, 29999, 26000}
        self.assertEqual(emulator.choose_gdb_port(29998, free=lambda p: p not in taken), 26001)
        self.assertEqual(emulator.choose_gdb_port(26005, free=lambda p: True), 26005)
        with self.assertRaisesRegex(OSError, "GDBPORT"):
            emulator.choose_gdb_port(26000, tries=5, free=lambda p: False)

    def test_a_listener_on_ipv4_or_ipv6_takes_the_port(self):
        with socket.socket() as s:
            s.bind(("0.0.0.0", 0))
            s.listen(1)
            port = s.getsockname()[1]
            self.assertFalse(emulator.port_free(port), "0.0.0.0:%d listens" % port)
        self.assertTrue(emulator.port_free(port))
        try:
            s6 = socket.socket(socket.AF_INET6)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.bind(("::", 0))
        except OSError:
            self.skipTest("no IPv6 here")
        with s6:
            s6.listen(1)
            port = s6.getsockname()[1]
            self.assertFalse(emulator.port_free(port), "[::]:%d listens" % port)

    def test_the_port_file_counts_while_its_qemu_runs(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "gdbport")
            self.assertIsNone(emulator.running_gdb_port(path))
            with open(path, "w") as f:
                f.write("26123 %d\n" % os.getpid())
            self.assertEqual(emulator.running_gdb_port(path), 26123)
            gone = subprocess.Popen(["true"])
            gone.wait()
            with open(path, "w") as f:
                f.write("26123 %d\n" % gone.pid)
            self.assertIsNone(emulator.running_gdb_port(path))

    def gdbport(self, *argv):
        """emulator.py gdbport in a process of its own: redirecting this process's
        sys.stdout would also catch what the grader's other threads print meanwhile (a
        PASS line of another self-test once landed in the port read here)."""
        p = subprocess.run([sys.executable, EMULATOR, "gdbport"] + list(argv),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        return p.returncode, p.stdout.strip(), p.stderr

    def test_make_gdb_uses_the_running_qemus_port_and_needs_one(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "gdbport")
            status, out, err = self.gdbport("--running", "--gdbport-file", path)
            self.assertEqual(status, 1)
            self.assertIn("no QEMU is waiting for GDB in this tree", err)
            self.assertIn("make qemu-nox-gdb", err)
            self.assertEqual(self.gdbport("--running", "--gdbport-file", path, "26444")[1],
                             "26444")
            with open(path, "w") as f:
                f.write("26123 %d\n" % os.getpid())
            self.assertEqual(self.gdbport("--running", "--gdbport-file", path, "26444")[1],
                             "26123")

    def test_gdbport_in_conf_local_mk_is_used(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("GNUmakefile", "kern", "user", "monitors", "grade", "tools",
                         ".gdbinit.tmpl"):
                os.symlink(os.path.join(ROOT, name), os.path.join(d, name))
            os.mkdir(os.path.join(d, "conf"))
            with open(os.path.join(d, "conf", "local.mk"), "w") as f:
                f.write("GDBPORT = 26555\n")
            p = subprocess.run(["make", "-s", "--no-print-directory", "-C", d,
                                "print-gdbport"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
            self.assertEqual(p.stdout.strip(), "26555", p.stdout)

    def test_the_stub_listens_on_127_0_0_1_only(self):
        argv = emulator.qemu_argv(gdb=26001)
        self.assertEqual(argv[argv.index("-gdb") + 1], "tcp:127.0.0.1:26001")


BIND = ("qemu-system-i386: -gdb tcp:127.0.0.1:26000: Failed to find an available port: "
        "Address already in use")
LOCK = ['qemu-system-i386: Failed to get "write" lock',
        "Is another process using the image [/t/obj/run/fluke.img]?"]


class QemuFailureTest(unittest.TestCase):
    def test_a_taken_port_names_the_fix(self):
        said = emulator.qemu_failure("qemu-system-i386", [BIND], 26000, chosen=False)
        self.assertIn("127.0.0.1:26000", said)
        self.assertIn("Set GDBPORT", said)
        said = emulator.qemu_failure("/usr/bin/qemu-system-i386", [BIND], 26000, chosen=True)
        self.assertIn("run the command again", said)

    def test_a_locked_image_names_the_other_qemu(self):
        said = emulator.qemu_failure("qemu-system-i386", LOCK)
        self.assertIn("another QEMU is using /t/obj/run/fluke.img", said)
        self.assertIn("Ctrl-a x", said)

    def test_warnings_and_silence_are_no_failure(self):
        self.assertIsNone(emulator.qemu_failure("qemu-system-i386", []))
        self.assertIsNone(emulator.qemu_failure(
            "qemu-system-i386", ["qemu-system-i386: warning: host doesn't support it"]))

    def run_fake(self, body, *argv):
        """Run emulator.py qemu with a fake QEMU; its status and stderr."""
        with tempfile.TemporaryDirectory() as d:
            fake = executable(os.path.join(d, "qemu-system-i386"), "#!/bin/sh\n" + body)
            image = os.path.join(d, "fluke.img")
            with open(image, "wb") as f:
                f.write(b"\0" * 512)
            p = subprocess.run([sys.executable, EMULATOR, "qemu", "--nox", "--image", image,
                                "--gdbport-file", os.path.join(d, "gdbport")] + list(argv),
                               env=dict(os.environ, QEMU=fake), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True)
            left = os.path.exists(os.path.join(d, "gdbport"))
        return p.returncode, p.stdout + p.stderr, left

    def test_make_fails_when_qemu_cannot_listen(self):
        status, text, left = self.run_fake("echo '%s' >&2; exit 1" % BIND, "--gdb", "26000")
        self.assertEqual(status, 2, text)
        self.assertIn("emulator.py: QEMU could not listen for GDB on 127.0.0.1:26000", text)
        self.assertFalse(left, "the port file outlived QEMU")

    def test_a_chosen_port_taken_meanwhile_is_chosen_again(self):
        status, text, _ = self.run_fake("echo \"qemu-system-i386: -gdb $6: Failed to find an "
                                        "available port\" >&2; exit 1", "--gdb", "auto")
        self.assertEqual(status, 2, text)
        self.assertEqual(text.count("*** GDB port"), 3, text)

    def test_make_fails_when_the_image_is_locked(self):
        status, text, _ = self.run_fake("printf '%s\\n%s\\n' >&2; exit 1" % tuple(LOCK))
        self.assertEqual(status, 2, text)
        self.assertIn("another QEMU is using /t/obj/run/fluke.img", text)

    def test_a_clean_shutdown_still_succeeds(self):
        status, text, _ = self.run_fake("exit 1")      # the kernel wrote 0 to port 0xf4
        self.assertEqual(status, 0, text)

    def test_a_qemu_that_leaves_the_terminal_raw_is_cleaned_up_after(self):
        with tempfile.TemporaryDirectory() as d:
            fake = executable(os.path.join(d, "qemu-system-i386"),
                              "#!/bin/sh\nstty raw -echo\nkill -9 $$\n")
            image = os.path.join(d, "fluke.img")
            with open(image, "wb") as f:
                f.write(b"\0" * 512)
            master, slave = pty.openpty()
            before = termios.tcgetattr(slave)
            p = subprocess.run([sys.executable, EMULATOR, "qemu", "--nox", "--image", image],
                               env=dict(os.environ, QEMU=fake), stdin=slave, stdout=slave,
                               stderr=slave, timeout=30)
            after = termios.tcgetattr(slave)
            os.close(master)
            os.close(slave)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(after, before, "the terminal's settings were not restored")

    def test_a_second_run_in_one_tree_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            first = emulator.TreeLock(d, "QEMU")
            try:
                with self.assertRaisesRegex(emulator.Busy, "another QEMU runs in this tree "
                                            "\\(pid %d" % os.getpid()):
                    emulator.TreeLock(d, "QEMU")
            finally:
                first.release()
            emulator.TreeLock(d, "QEMU").release()


# A Bochs that behaves like Debian's on our bochsrc: banner and plugin messages on
# stderr, port 0xE9 on stdout, the console on the com1 terminal; SIGINT makes its debugger
# run the rc file's q; "exit" shuts the machine down.
FAKE_BOCHS = r"""#!%s
import os, re, signal, sys, time, tty
rc = open(sys.argv[sys.argv.index("-f") + 1]).read()
dev = re.search(r"com1: enabled=1, mode=term, dev=(\S+)", rc).group(1)
signal.signal(signal.SIGINT, lambda *a: sys.exit(1))
sys.stderr.write("00000000000i[PLUGIN] loaded plugin libbx_serial.so\n"); sys.stderr.flush()
print("FLUKE - BOOT version=0.1", flush=True)
fd = os.open(dev, os.O_RDWR)
tty.setraw(fd)          # as Bochs makes its com1 terminal raw
os.write(fd, b"Fluke shell: type help\r\n$ ")
line = b""
while True:
    c = os.read(fd, 1)
    os.write(fd, c)
    line += c
    if line.endswith(b"exit\r"):
        print("FLUKE - END status=0", flush=True)
        sys.exit(1)
"""


class BochsBridgeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.image = os.path.join(self.tmp.name, "fluke.img")
        with open(self.image, "wb") as f:
            f.write(b"\0" * 512)
        self.fake = executable(os.path.join(self.tmp.name, "bochs"),
                               FAKE_BOCHS % sys.executable)

    def tearDown(self):
        self.tmp.cleanup()

    def run_bochs(self, keys=None, signal_=None):
        """make bochs-nox on a pty: returns its status, what the terminal showed, and the
        terminal's settings before, during and after."""
        master, slave = pty.openpty()
        before = termios.tcgetattr(slave)
        p = subprocess.Popen([sys.executable, EMULATOR, "bochs", "--nox", "--image",
                              self.image], stdin=slave, stdout=slave, stderr=slave,
                             env=dict(os.environ, BOCHS=self.fake))
        shown, during = b"", None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    shown += os.read(master, 4096)
                except OSError:
                    break
            if during is None and shown.endswith(b"$ "):
                during = termios.tcgetattr(slave)
                if keys:
                    os.write(master, keys)
                if signal_:
                    p.send_signal(signal_)
            if p.poll() is not None:
                break
        status = p.wait(10)
        while select.select([master], [], [], 0.1)[0]:
            try:
                shown += os.read(master, 4096)
            except OSError:
                break
        after = termios.tcgetattr(slave)
        os.close(master)
        os.close(slave)
        return status, shown.decode(errors="replace"), before, during, after

    def records(self):
        with open(os.path.join(self.tmp.name, "run", "bochs-records.txt")) as f:
            return f.read()

    def check(self, status, shown, before, during, after, how):
        self.assertEqual(status, 0, shown)
        self.assertIn("Fluke shell: type help", shown)
        self.assertIsNotNone(during, "no prompt came: " + shown)
        self.assertFalse(during[3] & termios.ICANON, "the terminal was not raw during the run")
        self.assertEqual(after, before, "the terminal's settings were not restored")
        self.assertNotIn("PLUGIN", shown, "Bochs's messages reached the terminal")
        self.assertNotIn("FLUKE - BOOT", shown, "records mixed into the console")
        self.assertIn("FLUKE - BOOT version=0.1", self.records())
        self.assertIn("*** Bochs %s" % how, shown)
        self.assertIn("bochs-records.txt", shown)

    def test_ctrl_a_x_quits(self):
        self.check(*self.run_bochs(keys=b"\x01x"), how="quit")

    def test_ctrl_c_quits(self):
        self.check(*self.run_bochs(keys=b"\x03"), how="quit")

    def test_a_shutdown_ends_it(self):
        self.check(*self.run_bochs(keys=b"exit\r"), how="ended")
        self.assertIn("FLUKE - END status=0", self.records())

    def test_the_terminal_is_restored_when_it_is_killed(self):
        status, shown, before, during, after = self.run_bochs(signal_=signal.SIGTERM)
        self.assertIsNotNone(during, shown)
        self.assertEqual(after, before, "the terminal's settings were not restored")
        self.assertNotEqual(status, 0)


if __name__ == "__main__":
    unittest.main()
