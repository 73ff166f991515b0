/*
 * The Console protocol: characters in and out (stdin, stdout and stderr all go
 * through it). A read waits for at least one character.
 */
#ifndef FLUKE_CONSOLE_H
#define FLUKE_CONSOLE_H

#include <fluke/rpc.h>

enum {
	FLUKE_CONSOLE_WRITE = 1,	/* data -> nothing */
	FLUKE_CONSOLE_READ,		/* arg0 max bytes -> data (at least one byte) */
};

int fluke_console_put(const char *buf, uint32_t len);
int fluke_console_get(char *buf, uint32_t max, uint32_t *got);

struct fluke_console_server {
	int (*write)(void *ctx, uint32_t alias, const char *buf, uint32_t len);
	int (*read)(void *ctx, uint32_t alias, char *buf, uint32_t max, uint32_t *got);
};
void fluke_console_dispatch(const struct fluke_console_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
