/*
 * The printf formatter shared by the kernel and user space. It emits characters
 * through a callback, so each side decides where they go.
 * Conversions: %d %i %u %x %X %o %p %s %c %%; the C99 flags '-' (left-justify),
 * '0' (pad numbers with zeros; off with '-' or a precision), '+' and ' ' (the
 * sign of %d %i), '#' (%x %X: 0x or 0X before a nonzero value; %o: a leading 0);
 * a width and a precision (digits or '*'; a negative '*' width is '-' and the
 * width, a negative precision none), length modifiers l, ll and z.
 */
#ifndef FLUKE_FMT_H
#define FLUKE_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(int c, void *arg);

/* Format fmt with ap; returns the number of characters emitted. */
int vfmt(fmt_putc_fn putc, void *arg, const char *fmt, va_list ap);

/* Format into buf (always NUL-terminated when size > 0); returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
