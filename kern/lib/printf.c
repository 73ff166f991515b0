#include "lib/printf.h"
#include "dev/console.h"

static void console_out(int c, void *arg)
{
	(void)arg;
	console_putc(c);
}

int vkprintf(const char *fmt, va_list ap)
{
	return vfmt(console_out, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}
