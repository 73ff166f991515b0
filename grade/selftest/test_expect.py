"""gradelib/expect.py: Record with a count."""
import unittest

from gradelib.expect import Record
from selftest.test_declare import made_up_run


class RecordCountTest(unittest.TestCase):
    RECORDS = ("FLUKE N METRIC nest mode=forward forwarded=3\n"
               "FLUKE N METRIC nest mode=forward forwarded=5\n"
               "FLUKE N END status=0 tsc=1")

    def test_without_a_count_one_record_is_enough(self):
        run = made_up_run(records=self.RECORDS)
        self.assertIsNone(Record("METRIC", r"^nest mode=forward").check(run))
        self.assertEqual(Record("METRIC", r"^nest").describe(), "a METRIC record matching /^nest/")

    def test_a_count_must_be_met_exactly(self):
        run = made_up_run(records=self.RECORDS)
        self.assertIsNone(Record("METRIC", r"^nest mode=forward", count=2).check(run))
        why = Record("METRIC", r"^nest mode=forward", count=4).check(run)
        self.assertTrue(why.startswith("2 such records: nest mode=forward forwarded=3"), why)
        self.assertIsNone(Record("METRIC", r"^nest mode=direct", count=0).check(run))
        self.assertEqual(Record("METRIC", r"^nest", count=0).check(run).split(":")[0],
                         "2 such records")
        self.assertEqual(Record("METRIC", r"^x", count=2).describe(),
                         "exactly 2 METRIC records matching /^x/")


if __name__ == "__main__":
    unittest.main()
