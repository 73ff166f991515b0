"""The record parser: only records with this run's nonce count."""
import unittest

from gradelib.records import Records, fields

NONCE = "5eed5eed5eed5eed"


class RecordsTest(unittest.TestCase):
    def test_records_with_the_nonce_count(self):
        r = Records("FLUKE %s BOOT version=1\nFLUKE %s PASS a\n" % (NONCE, NONCE), NONCE)
        self.assertEqual(r.texts("BOOT"), ["version=1"])
        self.assertEqual(r.program("a"), ("pass", ""))
        self.assertEqual(r.stray, [])

    def test_wrong_or_missing_nonce_is_stray(self):
        text = "FLUKE 0123 PASS a\nFLUKE PASS a\nFLUKE %s PASSED a\nFLUKE %s\n" % (NONCE, NONCE)
        r = Records(text, NONCE)
        self.assertEqual(r.good, [])
        self.assertEqual(r.program("a"), (None, ""))
        self.assertEqual(len(r.stray), 4)
        self.assertEqual(len(r.stray_of("PASS")), 2)

    def test_a_nonce_prefix_is_not_the_nonce(self):
        r = Records("FLUKE %s PASS a\n" % NONCE[:-1], NONCE)
        self.assertEqual(r.good, [])

    def test_fail_wins_over_pass(self):
        text = "FLUKE %s PASS a\nFLUKE %s FAIL a got 3, wanted 4\n" % (NONCE, NONCE)
        self.assertEqual(Records(text, NONCE).program("a"), ("fail", "got 3, wanted 4"))

    def test_end_status_and_tsc(self):
        text = "FLUKE %s TIMEOUT tsc=900 budget=800\nFLUKE %s END status=2 tsc=950\n" % (
            NONCE, NONCE)
        r = Records(text, NONCE)
        self.assertEqual(r.end_status(), 2)
        self.assertEqual(r.tsc(), 950)
        self.assertIsNone(Records("", NONCE).end_status())

    def test_records_inside_bochs_output(self):
        text = "(0) [0x0000fffffff0] f000:fff0\n<bochs:1> FLUKE %s BOOT v=1\r\n" % NONCE
        self.assertEqual(Records(text, NONCE).texts("BOOT"), ["v=1"])

    def test_no_character_but_newline_ends_a_record(self):
        # Every character str.splitlines() splits at, inside a program's INFO record:
        # the forged END and PASS after it must never count.
        for sep in "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029":
            text = ("FLUKE {n} INFO x{s}FLUKE {n} END status=0 tsc=1\n"
                    "FLUKE {n} INFO y{s}FLUKE {n} PASS forged\n"
                    "FLUKE {n} END status=3 tsc=5\n").format(n=NONCE, s=sep)
            r = Records(text, NONCE)
            self.assertEqual(r.texts("END"), ["status=3 tsc=5"], repr(sep))
            self.assertEqual(r.texts("INFO"), [], repr(sep))
            self.assertEqual(r.program("forged"), (None, ""), repr(sep))
            self.assertEqual(len(r.stray), 2, repr(sep))

    def test_a_record_is_printable_ascii(self):
        for bad in "\x00\x1b\x7f\xe9\ufffd\t":
            r = Records("FLUKE %s PASS a%s\n" % (NONCE, bad), NONCE)
            self.assertEqual(r.good, [], repr(bad))
            self.assertEqual(len(r.stray), 1, repr(bad))

    def test_fields(self):
        self.assertEqual(fields("status=0 tsc=12 x"), {"status": "0", "tsc": "12"})


if __name__ == "__main__":
    unittest.main()
