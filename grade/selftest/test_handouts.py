"""The handouts the grader's messages point at say what those messages promise: boot.md's
ktest= row names every kernel self-test, its section references exist, and make handin's
pointer to grading.md lands on the section about handing in."""
import os
import re
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def _sections(text):
    return {int(n): title for n, title in re.findall(r"^## (\d+)\. (.*)$", text, re.M)}


class HandoutsTest(unittest.TestCase):
    def test_boot_md_names_every_kernel_self_test(self):
        ktests = re.findall(r'\{\s*"(\w+)",\s*ktest_\w+\s*\}', _read("kern/init/ktest.c"))
        self.assertGreaterEqual(len(ktests), 4, "no ktest table in kern/init/ktest.c?")
        row = [s for s in _read("handouts/boot.md").splitlines() if s.startswith("| `ktest=")]
        self.assertEqual(len(row), 1)
        for name in ktests:
            self.assertIn("`%s`" % name, row[0], "boot.md's ktest= row leaves out " + name)

    def test_boot_md_refers_only_to_its_own_sections(self):
        text = _read("handouts/boot.md")
        mine = _sections(text)
        for line in text.splitlines():
            for n in re.findall(r"\(section (\d+)\)", line):
                self.assertIn(int(n), mine, "boot.md refers to its section %s: %s" % (n, line))

    def test_make_handin_points_at_the_handin_section(self):
        said = re.search(r"handouts/grading\.md section (\d+)", _read("tools/handin.sh"))
        self.assertTrue(said, "tools/handin.sh names no section of grading.md")
        title = _sections(_read("handouts/grading.md")).get(int(said.group(1)), "")
        self.assertIn("Handing in", title)
        self.assertIn("make handin", _read("handouts/grading.md"))


if __name__ == "__main__":
    unittest.main()
