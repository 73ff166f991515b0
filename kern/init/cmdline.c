#include "init/cmdline.h"
#include <string.h>

char boot_cmdline[CMDLINE_MAX];

const char *cmdline_find(const char *cmdline, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = cmdline; *p; p++) {
		int word_start = p == cmdline || p[-1] == ' ';
		if (word_start && strncmp(p, key, n) == 0 && p[n] == '=')
			return p;
	}
	return NULL;
}

int cmdline_value(const char *cmdline, const char *key, char *buf, size_t size)
{
	const char *p = cmdline_find(cmdline, key);
	if (!p)
		return 0;
	p += strlen(key) + 1;
	size_t n = 0;
	while (p[n] && p[n] != ' ')
		n++;
	if (size) {
		n = n < size - 1 ? n : size - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
	}
	return 1;
}

void cmdline_without(const char *cmdline, const char *key, char *out, size_t size)
{
	size_t n = strlen(key), at = 0;
	const char *p = cmdline;
	while (*p) {
		size_t len = 0;
		while (p[len] && p[len] != ' ')
			len++;
		int skip = len == 0 || (len > n && strncmp(p, key, n) == 0 && p[n] == '=');
		if (!skip) {
			if (at + (at > 0) + len >= size)
				break;
			if (at > 0)
				out[at++] = ' ';
			memcpy(out + at, p, len);
			at += len;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	if (size)
		out[at] = '\0';
}

int cmdline_number(const char *s, uint64_t *v)
{
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (*v = 0; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0'
		      : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (*s | 0x20) - 'a' + 10 : 99;
		if (d >= base)
			return -1;
		*v = *v * base + d;
	}
	return 0;
}
