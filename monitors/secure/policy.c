/*
 * Reading the security monitor's policy (secure.h): rules from a policy file in
 * the boot file system and from the mode's '+'-joined words. A bad rule is named
 * with where it came from (the file and line, or the mode's word) and the form
 * it should have; the monitor then does not start its child.
 */
#include "secure.h"
#include <fluke/abi/error.h>
#include <fmt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX	96

static const char forms[] =
	"the rules are open=NAME:ro|rw, deny=NAME (NAME* for every name it begins), "
	"mem=PAGES, cpu=INSTRUCTIONS, spawn=N, rate=BYTES, denials=N, block=none|ro|rw, crash=N";

void policy_init(struct secure_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->denials = 8;
	p->block = BLOCK_NONE;
}

/* A decimal number, all of s, below 2^31: 0 with *v, or -1. */
static int decimal(const char *s, uint32_t *v)
{
	uint32_t n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 200000000)
			return -1;
		n = n * 10 + (uint32_t)(*s - '0');
	}
	*v = n;
	return 0;
}

/* A number of instructions, all of s: decimal digits and an optional K, M or G
 * (thousands, millions, billions), at most 10^15: 0 with *v, or -1. */
static int instructions(const char *s, uint64_t *v)
{
	static const struct { char suffix; uint64_t unit; } units[] = {
		{ 'K', 1000 }, { 'M', 1000000 }, { 'G', 1000000000 },
	};
	const uint64_t most = 1000000000000000ull;
	uint64_t n = 0, unit = 1;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > most / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	for (uint32_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (*s == units[u].suffix) {
			unit = units[u].unit;
			s++;
			break;
		}
	if (*s || n > most / unit)
		return -1;
	*v = n * unit;
	return 0;
}

/* A name rule's NAME[*]: 0, or -1 if it is empty or too long. */
static int rule_name(struct secure_rule *r, const char *name, uint32_t len)
{
	r->prefix = len > 0 && name[len - 1] == '*';
	len -= (uint32_t)r->prefix;
	if ((len == 0 && !r->prefix) || len >= sizeof(r->name))
		return -1;
	memcpy(r->name, name, len);
	r->name[len] = '\0';
	return 0;
}

/* One rule, word (KEY=VALUE, changed in place); where says where it came from.
 * 0, or -1 after saying what is wrong. */
static int rule(struct secure_policy *p, char *word, const char *where)
{
	char *value = strchr(word, '=');
	const char *fix = forms;
	if (value) {
		*value++ = '\0';
		struct secure_rule *r = &p->rules[p->nrules];
		if (!strcmp(word, "open") || !strcmp(word, "deny")) {
			int allow = word[0] == 'o';
			char *colon = allow ? strrchr(value, ':') : 0;
			fix = allow ? "open= takes a name and :ro or :rw (open=hello:ro, open=data*:rw)"
				    : "deny= takes a name (deny=secret, deny=secret*)";
			if (p->nrules == SECURE_RULES)
				fix = "there are more than 32 open= and deny= rules; join some with NAME*";
			else if ((!allow || (colon && (!strcmp(colon, ":ro") || !strcmp(colon, ":rw")))) &&
				 rule_name(r, value, allow ? (uint32_t)(colon - value)
							   : (uint32_t)strlen(value)) == 0) {
				r->allow = allow;
				r->write = allow && colon[2] == 'w';
				p->nrules++;
				return 0;
			}
		} else if (!strcmp(word, "block")) {
			fix = "block= is none, ro or rw";
			for (int b = BLOCK_NONE; b <= BLOCK_RW; b++)
				if (!strcmp(value, (const char *[]){ "none", "ro", "rw" }[b])) {
					p->block = b;
					return 0;
				}
		} else if (!strcmp(word, "cpu")) {
			fix = "it takes a number of guest instructions, in decimal, with K, M or G for "
			      "thousands, millions or billions (cpu=50000000, cpu=50M)";
			if (instructions(value, &p->cpu) == 0)
				return 0;
		} else {
			static const char *const keys[] = { "mem", "spawn", "rate", "denials", "crash" };
			uint32_t *const fields[] = { &p->mem, &p->spawn, &p->rate, &p->denials,
						     &p->crash };
			for (uint32_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				if (strcmp(word, keys[k]))
					continue;
				if (decimal(value, fields[k]) == 0)
					return 0;
				fix = "it takes a decimal number (mem=64, spawn=2, rate=512, denials=3, "
				      "crash=40)";
			}
		}
		value[-1] = '=';
	}
	printf("secure: %s: bad rule '%s'; %s\n", where, word, fix);
	return -1;
}

/* The rules of policy file name, one a line; '#' starts a comment. */
static int read_file(struct secure_policy *p, const char *name)
{
	/* LAB 6: BEGIN SOLUTION */
	const void *data;
	uint32_t size;
	int rc = fluke_fs_load(name, &data, &size);
	if (rc != FLUKE_SUCCESS) {
		printf("secure: cannot read the policy file '%s' (error %d); name a file of the "
		       "boot file system, e.g. policy=secure.policy\n", name, rc);
		return -1;
	}
	const char *s = data, *end = s + size;
	int bad = 0;
	for (uint32_t line = 1; s < end && !bad; line++) {
		const char *eol = s;
		while (eol < end && *eol != '\n')
			eol++;
		char buf[LINE_MAX], where[FLUKE_FS_NAME_MAX + 16];
		uint32_t n = 0;
		for (const char *c = s; c < eol && *c != '#'; c++)
			if (*c != ' ' && *c != '\t' && *c != '\r' && n < sizeof(buf) - 1)
				buf[n++] = *c;
		buf[n] = '\0';
		snprintf(where, sizeof(where), "%s line %u", name, line);
		if (n == sizeof(buf) - 1) {
			printf("secure: %s: the line is longer than %u characters; shorten it\n",
			       where, LINE_MAX - 2);
			bad = 1;
		} else if (n) {
			bad = rule(p, buf, where) < 0;
		}
		s = eol + 1;
	}
	free((void *)data);
	return bad ? -1 : 0;
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| printf("secure: cannot read the policy file %s yet (lab 6)\n", name);
	//| (void)p;
	//| return -1;
	/* LAB 6: END */
}

int policy_read(struct secure_policy *p, const char *mode)
{
	static char buf[256];
	static char file[FLUKE_FS_NAME_MAX];
	if (!mode)
		return 0;
	if (strlen(mode) >= sizeof(buf)) {
		printf("secure: mode= is longer than %u characters; put the rules in a policy "
		       "file (policy=FILE)\n", (unsigned)sizeof(buf) - 1);
		return -1;
	}
	strlcpy(buf, mode, sizeof(buf));
	/* The file first, so that its rules come first whatever the word order. */
	for (const char *w = mode; w; w = strchr(w, '+') ? strchr(w, '+') + 1 : 0) {
		uint32_t n = 0;
		if (strncmp(w, "policy=", 7) != 0)
			continue;
		while (w[7 + n] && w[7 + n] != '+')
			n++;
		if (n == 0 || n >= sizeof(file) || p->file) {
			printf("secure: bad option in mode=%s: one policy= naming a file "
			       "(policy=secure.policy)\n", mode);
			return -1;
		}
		memcpy(file, w + 7, n);
		file[n] = '\0';
		p->file = file;
		if (read_file(p, file) < 0)
			return -1;
	}
	uint32_t i = 1;
	for (char *w = buf, *next; w; w = next, i++) {
		char where[48];
		next = strchr(w, '+');
		if (next)
			*next++ = '\0';
		snprintf(where, sizeof(where), "word %u of mode=", i);
		if (strncmp(w, "policy=", 7) != 0 && rule(p, w, where) < 0)
			return -1;
	}
	return 0;
}

uint32_t policy_match(const struct secure_policy *p, const char *name)
{
	/* LAB 6: BEGIN SOLUTION */
	for (uint32_t i = 0; i < p->nrules; i++) {
		const struct secure_rule *r = &p->rules[i];
		if (r->prefix ? strncmp(name, r->name, strlen(r->name)) == 0
			      : strcmp(name, r->name) == 0)
			return i + 1;
	}
	return 0;
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| (void)p, (void)name;
	//| return 0;
	/* LAB 6: END */
}
