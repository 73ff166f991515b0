/* Checking a boot configuration against the boot file system. */
#include "root.h"
#include <fluke/abi/error.h>
#include <fluke/proc.h>
#include <stdio.h>
#include <string.h>

/* Whether name (len bytes) is a word of the comma-separated list. */
static int listed(const char *list, const char *name, size_t len)
{
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t n = comma ? (size_t)(comma - list) : strlen(list);
		if (n == len && strncmp(list, name, len) == 0)
			return 1;
		list = comma ? comma + 1 : 0;
	}
	return 0;
}

static int in_bootfs(const char *name, size_t len)
{
	char buf[FLUKE_FS_NAME_MAX];
	uint32_t handle;
	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return bootfs_find(buf, &handle) == FLUKE_SUCCESS;
}

/* Whether name is a program a stack may run: one every monitor may start
 * (fluke_is_program), and not a monitor. */
static int is_program(const struct fluke_conf *c, const char *name)
{
	return fluke_is_program(name) && !listed(c->monitors, name, strlen(name));
}

/* Print the boot file system's monitors (monitors: 1) or its programs (0). */
static void list_files(const struct fluke_conf *c, int monitors)
{
	const char *name;
	const void *data;
	uint32_t size;
	for (uint32_t i = 0; bootfs_get(i, &name, &data, &size) == FLUKE_SUCCESS; i++)
		if (monitors ? listed(c->monitors, name, strlen(name)) : is_program(c, name))
			printf(" %s", name);
	printf("\n");
}

int conf_check(const struct fluke_conf *c)
{
	if (c->unknown) {
		printf("root: unknown word '%s' in the boot configuration; the keys are stack= "
		       "and prog= (then the program's arguments), and the kernel's nonce= "
		       "budget= init= ktest=\n", c->unknown);
		return -1;
	}
	for (const char *s = c->stack; s && *s;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		size_t name = 0;
		while (name < len && s[name] != ':')
			name++;
		if (!listed(c->monitors, s, name) || !in_bootfs(s, name)) {
			printf("root: unknown monitor '%.*s' in stack=%s; the monitors are:",
			       (int)name, s, c->stack);
			list_files(c, 1);
			return -1;
		}
		s = comma ? comma + 1 : 0;
	}
	if (!c->prog || !*c->prog || !is_program(c, c->prog) ||
	    !in_bootfs(c->prog, strlen(c->prog))) {
		printf("root: unknown program '%s' in prog=; the programs are:",
		       c->prog ? c->prog : "");
		list_files(c, 0);
		return -1;
	}
	return 0;
}
