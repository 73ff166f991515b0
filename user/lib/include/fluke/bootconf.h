/*
 * Boot configurations (handouts/overview.md, "Stacks"): which monitors to stack,
 * outermost first, and the program with its arguments, written as words:
 *   stack=nest,nest:direct prog=memtest 64
 * The root reads them from the kernel command line (then boot.conf); it starts
 * the outermost monitor with the rest of the configuration as its arguments,
 * in the same words (plus mode= from a NAME:MODE entry), and so on inward.
 */
#ifndef FLUKE_BOOTCONF_H
#define FLUKE_BOOTCONF_H

#include <stdint.h>

#define FLUKE_CONF_WORDS	40

struct fluke_conf {
	char *stack;			/* "a,b:direct" ("": none); NULL: not given */
	char *prog;			/* NULL: not given */
	char *mode;			/* this monitor's mode= (NULL: its default) */
	char *monitors;			/* boot.conf's monitors=: the known monitor names */
	char *unknown;			/* the first word before prog= that is no key known
					 * here or to the kernel (a typo), or NULL */
	int nargs;
	char *args[FLUKE_CONF_WORDS];	/* the words after prog= */
};

/* Take the keys of words[0..n) that c does not have yet; the words after prog=
 * are its arguments. The kernel's keys (nonce=, budget=, init=, ktest=) are
 * skipped; the first other word is kept in c->unknown. */
void fluke_conf_parse(struct fluke_conf *c, int n, char **words);
/* The argv that starts the next level of c: the outermost monitor of the stack
 * with the rest of the configuration, or the program with its arguments. The
 * strings are built in buf. Returns argc, or -1 if buf or argv is too small. */
int fluke_conf_next(const struct fluke_conf *c, char **argv, int max, char *buf, uint32_t size);
/* For a monitor's mode options (pager:frames=16, ckpt:every=50): whether s is a
 * decimal number from min to max, in *n. */
int fluke_conf_number(const char *s, uint32_t min, uint32_t max, uint32_t *n);

#endif
