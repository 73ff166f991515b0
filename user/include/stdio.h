/* Console output for programs. (For now it goes to the kernel console; the
 * Console protocol takes over with the root monitor.) */
#ifndef FLUKE_STDIO_H
#define FLUKE_STDIO_H

#include <fluke/fmt.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);

#endif
