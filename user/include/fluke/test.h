/*
 * Test records for the grader (handouts/boot.md section 4). The kernel adds the
 * run's nonce; a program only says what happened.
 */
#ifndef FLUKE_TEST_H
#define FLUKE_TEST_H

/* kind is BEGIN, PASS, FAIL, METRIC or INFO; the rest is printf-style text. */
int test_record(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Checks that failed so far (CHECK): a test program's exit status. */
extern int test_failures;

/* In a check function returning void: unless cond holds, record
 * "FAIL test file:line: cond", count it and return. */
#define CHECK(test, cond)                                                              	do {                                                                           		if (!(cond)) {                                                         			test_record("FAIL", "%s %s:%d: %s", test, __FILE__, __LINE__, #cond); 			test_failures++;                                               			return;                                                        		}                                                                      	} while (0)

#endif
