/* printf and friends, buffered per call, over the Console protocol (the first
 * task, which has no parent, uses the kernel console). */
#include <stdio.h>
#include <string.h>
#include <fluke/syscalls.h>
#include <fluke/console.h>
#include <fluke/start.h>

static void out(const char *buf, uint32_t len)
{
	if (fluke_parent())
		fluke_console_put(buf, len);
	else
		fluke_console_write(buf, len);
}

struct outbuf {
	char buf[128];
	unsigned len;
};

static void flush(struct outbuf *b)
{
	if (b->len)
		out(b->buf, b->len);
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
	out(&ch, 1);
	return (unsigned char)c;
}

int getchar(void)
{
	char c;
	uint32_t got = 0;
	if (fluke_parent()) {
		if (fluke_console_get(&c, 1, &got) != 0 || got == 0)
			return EOF;
	} else if (fluke_console_read(&c, 1) != 1) {
		return EOF;	/* interrupted: the kernel read waits for input */
	}
	return (unsigned char)c;
}
