"""The record parser: only records with this run's nonce count."""
import unittest

from gradelib.records import IdleWatch, Records, fields

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

    MUTEX = ("BLOCKED thread=736ae249 prog=deadlock space=9e3779b1 eip=01000070 waits=mutex "
             "on=98c47536 other=fa8cfb85 otherprog=deadlock")
    CONSOLE = "BLOCKED thread=75fd7f5b prog=root space=7f9a39c8 eip=01003347 waits=console-input"

    def records(self, *texts):
        return Records("".join("FLUKE %s %s\n" % (NONCE, t) for t in texts), NONCE)

    def test_deadlock_lists_the_blocked_threads(self):
        r = self.records("DEADLOCK threads=2", self.MUTEX, self.CONSOLE.replace(
            "console-input", "receive on=36fbeee7"), "END status=4 tsc=1")
        self.assertEqual(r.deadlock(), (
            "every thread is blocked: thread 736ae249 (deadlock, space 9e3779b1, eip 01000070) "
            "waits for mutex 98c47536, held by thread fa8cfb85 (deadlock); thread 75fd7f5b "
            "(root, space 7f9a39c8, eip 01003347) waits to receive on port set 36fbeee7"))
        self.assertIsNone(self.records("END status=0 tsc=1").deadlock())

    def test_idle_is_a_deadlock_once_all_input_arrived(self):
        r = self.records("IDLE threads=2 console=1 input=5", self.CONSOLE, self.MUTEX)
        self.assertIsNone(r.deadlock())                 # the kernel can not know
        self.assertIsNone(r.idle_deadlock(6))           # a character is still on its way
        self.assertRegex(r.idle_deadlock(5), r"^every thread is blocked: thread 75fd7f5b "
                         r"\(root, .*\) waits for console input; thread 736ae249 ")

    def test_an_idle_record_still_being_written_is_not_judged(self):
        self.assertIsNone(self.records("IDLE threads=2 console=1 input=0",
                                       self.CONSOLE).idle_deadlock(0))
        r = self.records("IDLE threads=40 console=1 input=0", *([self.CONSOLE] * 32 +
                                                               ["BLOCKED more=8"]))
        self.assertRegex(r.idle_deadlock(0), r"; and 8 more$")

    def test_idle_watch_follows_the_last_idle(self):
        w = IdleWatch(NONCE)
        w.feed("FLUKE %s IDLE threads=1 console=1 input=0\nFLUKE %s %s\nFLUKE %s IN" % (
            NONCE, NONCE, self.CONSOLE, NONCE))
        self.assertRegex(w.idle_deadlock(0), "waits for console input$")
        w.feed("FO ran again\n")                        # a thread ran: that IDLE is over
        self.assertIsNone(w.idle_deadlock(0))
        w.feed("FLUKE %s IDLE threads=1 console=1 input=3\nFLUKE %s %s\n" % (
            NONCE, NONCE, self.CONSOLE))
        self.assertIsNone(w.idle_deadlock(2))
        self.assertIsNotNone(w.idle_deadlock(3))

    def test_fields(self):
        self.assertEqual(fields("status=0 tsc=12 x"), {"status": "0", "tsc": "12"})


if __name__ == "__main__":
    unittest.main()
