/*
 * Test records for the grader (handouts/boot.md section 4). The kernel adds the
 * run's nonce; a program only says what happened.
 */
#ifndef FLUKE_TEST_H
#define FLUKE_TEST_H

#include <fluke/abi/types.h>

/* kind is BEGIN, PASS, FAIL, METRIC or INFO; the rest is printf-style text. */
int test_record(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stop thread t and resume it at once, as a debugger or checkpointer may: a
 * thread waiting in an idempotent call sends its request again. Returns 1 if
 * it was waiting in a call (its waiting_for link named a server thread, or the
 * port while no server thread received), else 0. */
int test_stop_resume(fluke_thread_t *t);

/* Yield 20 times: the program's other runnable threads run until they block. */
void test_settle(void);

/* Checks that failed so far (CHECK): a test program's exit status. */
extern int test_failures;

/* In a check function returning void: unless cond holds, record
 * "FAIL test file:line: cond", count it and return. */
#define CHECK(test, cond)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			test_record("FAIL", "%s %s:%d: %s", test, __FILE__, __LINE__, \
				    #cond);                                        \
			test_failures++;                                           \
			return;                                                    \
		}                                                                  \
	} while (0)

#endif
