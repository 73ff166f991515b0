"""Boot(swap=PATH): a disk file kept between the boots of one test (the checkpointer's
restore tests boot twice on it), never remade once it exists; swap=True gets a fresh one."""
import os
import tempfile
import unittest

from gradelib import Boot
from gradelib.qemu import QemuMachine


class KeptDiskTest(unittest.TestCase):
    def machine(self, boot):
        m = QemuMachine(None, boot, "n", 1000, 1, "/nonexistent")
        self.addCleanup(m.close)
        return m

    def test_the_named_file_is_made_once_and_kept(self):
        with tempfile.TemporaryDirectory() as d:
            disk = os.path.join(d, "kept.img")
            self.assertEqual(self.machine(Boot(swap=disk)).swap_disk(), disk)
            self.assertTrue(os.path.getsize(disk) > 0)
            with open(disk, "r+b") as f:       # what the first boot wrote
                f.write(b"CHECKPOINT")
            self.assertEqual(self.machine(Boot(swap=disk)).swap_disk(), disk)
            with open(disk, "rb") as f:
                self.assertEqual(f.read(10), b"CHECKPOINT")

    def test_a_fresh_disk_otherwise(self):
        m = self.machine(Boot())
        swap = m.swap_disk()
        self.assertEqual(os.path.dirname(swap), m.tmp)
        self.assertIsNone(self.machine(Boot(swap=False)).swap_disk())

    def test_the_description_names_it(self):
        self.assertIn("with the kept disk kept.img", Boot(swap="/x/kept.img").describe())


if __name__ == "__main__":
    unittest.main()
