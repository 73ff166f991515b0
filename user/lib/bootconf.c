/* Boot configurations (<fluke/bootconf.h>). */
#include <fluke/bootconf.h>
#include <fmt.h>
#include <string.h>

/* If word is key=value, the value; else NULL. */
static char *value(char *word, const char *key)
{
	size_t n = strlen(key);
	return strncmp(word, key, n) == 0 && word[n] == '=' ? word + n + 1 : 0;
}

/* Whether word is one of the kernel's own keys (handouts/boot.md). */
static int kernel_key(char *word)
{
	static const char *const keys[] = { "nonce", "budget", "init", "ktest" };
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (value(word, keys[i]))
			return 1;
	return 0;
}

void fluke_conf_parse(struct fluke_conf *c, int n, char **words)
{
	for (int i = 0; i < n; i++) {
		char *v;
		if ((v = value(words[i], "prog"))) {
			if (c->prog)
				return;
			c->prog = v;
			for (c->nargs = 0; i + 1 < n && c->nargs < FLUKE_CONF_WORDS; c->nargs++)
				c->args[c->nargs] = words[++i];
			return;
		}
		if ((v = value(words[i], "stack"))) {
			if (!c->stack)
				c->stack = v;
		} else if ((v = value(words[i], "mode"))) {
			if (!c->mode)
				c->mode = v;
		} else if ((v = value(words[i], "monitors"))) {
			if (!c->monitors)
				c->monitors = v;
		} else if (!kernel_key(words[i]) && !c->unknown) {
			c->unknown = words[i];
		}
	}
}

/* Append the word fmt makes to argv, its text at *pos in buf. */
static int add(char **argv, int *argc, int max, char *buf, uint32_t size, uint32_t *pos,
	       const char *fmt, const char *a, int alen)
{
	if (*argc >= max - 1 || *pos >= size)
		return -1;
	int n = snprintf(buf + *pos, size - *pos, fmt, alen, a);
	if (n < 0 || (uint32_t)n >= size - *pos)
		return -1;
	argv[(*argc)++] = buf + *pos;
	*pos += n + 1;
	return 0;
}

int fluke_conf_next(const struct fluke_conf *c, char **argv, int max, char *buf, uint32_t size)
{
	int argc = 0, bad = 0;
	uint32_t pos = 0;
	const char *stack = c->stack ? c->stack : "";
	if (*stack) {
		const char *comma = strchr(stack, ',');
		int len = comma ? comma - stack : (int)strlen(stack);
		const char *colon = 0;
		for (int i = 0; i < len && !colon; i++)
			colon = stack[i] == ':' ? stack + i : 0;
		int namelen = colon ? colon - stack : len;
		bad |= add(argv, &argc, max, buf, size, &pos, "%.*s", stack, namelen);
		if (colon)
			bad |= add(argv, &argc, max, buf, size, &pos, "mode=%.*s", colon + 1,
				   len - namelen - 1);
		if (comma)
			bad |= add(argv, &argc, max, buf, size, &pos, "stack=%.*s", comma + 1,
				   strlen(comma + 1));
		bad |= add(argv, &argc, max, buf, size, &pos, "prog=%.*s", c->prog, strlen(c->prog));
	} else {
		bad |= add(argv, &argc, max, buf, size, &pos, "%.*s", c->prog, strlen(c->prog));
	}
	for (int i = 0; i < c->nargs; i++)
		bad |= add(argv, &argc, max, buf, size, &pos, "%.*s", c->args[i], strlen(c->args[i]));
	argv[argc] = 0;
	return bad ? -1 : argc;
}

int fluke_conf_number(const char *s, uint32_t min, uint32_t max, uint32_t *n)
{
	uint32_t v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9' && v <= max; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	*n = v;
	return p != s && *p == '\0' && v >= min && v <= max;
}
