/* printf and friends over the kernel console, buffered per call. */
#include <stdio.h>
#include <string.h>
#include <fluke/syscalls.h>

struct outbuf {
	char buf[128];
	unsigned len;
};

static void flush(struct outbuf *b)
{
	if (b->len)
		fluke_console_write(b->buf, b->len);
	b->len = 0;
}

static void buffered_putc(int c, void *arg)
{
	struct outbuf *b = arg;
	b->buf[b->len++] = c;
	if (b->len == sizeof(b->buf) || c == '\n')
		flush(b);
}

int vprintf(const char *fmt, va_list ap)
{
	struct outbuf b = { .len = 0 };
	int n = vfmt(buffered_putc, &b, fmt, ap);
	flush(&b);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}

int putchar(int c)
{
	char ch = c;
	fluke_console_write(&ch, 1);
	return (unsigned char)c;
}
