/* printf formatting, shared by the kernel and the user library (fluke/fmt.h). */
#include <fmt.h>
#include <stdint.h>
#include <string.h>

struct spec {
	int left, zero;		/* '-' and '0' flags */
	int plus, space, alt;	/* '+', ' ' and '#' flags */
	int width, prec;	/* prec < 0: none given */
};

static int emit_padded(fmt_putc_fn putc, void *arg, const struct spec *sp,
		       const char *prefix, const char *body, int len)
{
	int plen = strlen(prefix), pad = sp->width - plen - len, n = 0;
	if (!sp->left && !sp->zero)
		for (; pad > 0; pad--, n++)
			putc(' ', arg);
	for (; *prefix; prefix++, n++)
		putc(*prefix, arg);
	if (!sp->left)
		for (; pad > 0; pad--, n++)
			putc('0', arg);
	for (int i = 0; i < len; i++, n++)
		putc(body[i], arg);
	for (; pad > 0; pad--, n++)
		putc(' ', arg);
	return n;
}

/* An integer conversion, C99's way: at least prec digits (none for a zero value
 * with precision 0), '#' makes an octal number start with 0, and prefix (a sign,
 * or 0x) goes before any zero padding. A precision turns '0' off. */
static int emit_number(fmt_putc_fn putc, void *arg, struct spec *sp, uint64_t v,
		       unsigned base, int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, prec = sp->prec < (int)sizeof(buf) - 1 ? sp->prec : (int)sizeof(buf) - 1;
	for (; v || (len == 0 && prec != 0); v /= base)
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
	while (len < prec)
		buf[sizeof(buf) - 1 - len++] = '0';
	if (base == 8 && sp->alt && (len == 0 || buf[sizeof(buf) - len] != '0'))
		buf[sizeof(buf) - 1 - len++] = '0';
	if (sp->prec >= 0)
		sp->zero = 0;
	return emit_padded(putc, arg, sp, prefix, buf + sizeof(buf) - len, len);
}

/* The sign a signed conversion shows: '-', or '+' / ' ' as the flags ask. */
static const char *sign(const struct spec *sp, int negative)
{
	return negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
}

int vfmt(fmt_putc_fn putc, void *arg, const char *fmt, va_list ap)
{
	int n = 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc(*fmt, arg);
			n++;
			continue;
		}
		struct spec sp = { .prec = -1 };
		for (;; fmt++) {
			if (fmt[1] == '-')
				sp.left = 1;
			else if (fmt[1] == '0')
				sp.zero = 1;
			else if (fmt[1] == '+')
				sp.plus = 1;
			else if (fmt[1] == ' ')
				sp.space = 1;
			else if (fmt[1] == '#')
				sp.alt = 1;
			else
				break;
		}
		if (fmt[1] == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {	/* a negative width is '-' and the width */
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		}
		for (; fmt[1] >= '0' && fmt[1] <= '9'; fmt++)
			sp.width = sp.width * 10 + fmt[1] - '0';
		if (fmt[1] == '.') {
			fmt++;
			sp.prec = 0;
			if (fmt[1] == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;	/* as if none were given */
				fmt++;
			}
			for (; fmt[1] >= '0' && fmt[1] <= '9'; fmt++)
				sp.prec = sp.prec * 10 + fmt[1] - '0';
		}
		int lng = 0;
		for (; fmt[1] == 'l' || fmt[1] == 'z'; fmt++)
			lng += fmt[1] == 'l' ? 1 : 0;
		fmt++;

		uint64_t u = 0;
		if (*fmt == 'u' || *fmt == 'x' || *fmt == 'X' || *fmt == 'o')
			u = lng >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned long);

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng >= 2 ? va_arg(ap, long long) : va_arg(ap, long);
			n += emit_number(putc, arg, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, 0,
					 sign(&sp, v < 0));
			break;
		}
		case 'u':
			n += emit_number(putc, arg, &sp, u, 10, 0, "");
			break;
		case 'x':
		case 'X':
			n += emit_number(putc, arg, &sp, u, 16, *fmt == 'X',
					 sp.alt && u ? (*fmt == 'X' ? "0X" : "0x") : "");
			break;
		case 'o':
			n += emit_number(putc, arg, &sp, u, 8, 0, "");
			break;
		case 'p':
			sp.prec = 8;
			sp.alt = 0;
			n += emit_number(putc, arg, &sp, (uintptr_t)va_arg(ap, void *), 16, 0, "0x");
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = strlen(s);
			if (sp.prec >= 0 && sp.prec < len)
				len = sp.prec;
			sp.zero = 0;
			n += emit_padded(putc, arg, &sp, "", s, len);
			break;
		}
		case 'c': {
			char c = va_arg(ap, int);
			sp.zero = 0;
			n += emit_padded(putc, arg, &sp, "", &c, 1);
			break;
		}
		case '%':
			putc('%', arg);
			n++;
			break;
		default:	/* unknown conversion (or the string ended): show it as is */
			putc('%', arg);
			n++;
			if (!*fmt)
				return n;
			putc(*fmt, arg);
			n++;
			break;
		}
	}
	return n;
}

struct bufarg {
	char *buf;
	size_t size, len;
};

static void buf_putc(int c, void *arg)
{
	struct bufarg *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufarg b = { buf, size, 0 };
	int n = vfmt(buf_putc, &b, fmt, ap);
	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
