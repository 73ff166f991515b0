/* Console input and output for programs: through the Console protocol of the
 * program's parent (the first task uses the kernel console). */
#ifndef FLUKE_STDIO_H
#define FLUKE_STDIO_H

#include <fmt.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
/* The next input character (waits for one); EOF if there is no console. */
int getchar(void);

#define EOF (-1)

#endif
