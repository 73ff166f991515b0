/* assert: on failure, print the condition and where, and exit with status 134. */
#ifndef FLUKE_ASSERT_H
#define FLUKE_ASSERT_H

void assert_failed(const char *cond, const char *file, int line) __attribute__((noreturn));
#define assert(c) ((c) ? (void)0 : assert_failed(#c, __FILE__, __LINE__))

#endif
