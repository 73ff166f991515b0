/*
 * Test records for the grader (handouts/boot.md section 4). The kernel adds the
 * run's nonce; a program only says what happened.
 */
#ifndef FLUKE_TEST_H
#define FLUKE_TEST_H

/* kind is BEGIN, PASS, FAIL, METRIC or INFO; the rest is printf-style text. */
int test_record(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
