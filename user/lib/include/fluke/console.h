/*
 * The Console protocol: characters in and out (stdin, stdout and stderr all go
 * through it). A read waits for at least one character.
 *
 * Both ops carry a request id (<fluke/rpc.h>), and the server keeps its last
 * answer to each client's WRITE and READ with it (the port a request came
 * through tells whose): a WRITE sent again (its client stopped and resumed) is
 * not written twice, and a READ sent again (perhaps while the first still waits
 * for input) gets the bytes the first one took rather than lose them. Request 0 means no id: never answered from what the
 * server kept.
 */
#ifndef FLUKE_CONSOLE_H
#define FLUKE_CONSOLE_H

#include <fluke/rpc.h>

enum {
	FLUKE_CONSOLE_WRITE = 1,	/* arg2 request, data -> nothing */
	FLUKE_CONSOLE_READ,		/* arg0 max bytes, arg2 request -> data (at
					 * least one byte) */
};

int fluke_console_put(const char *buf, uint32_t len);
int fluke_console_get(char *buf, uint32_t max, uint32_t *got);
/* fluke_console_get through the exchange rpc: a thread's own, in a program whose
 * threads call at once (the stubs share the one of fluke_client_rpc). */
int fluke_console_get_on(struct fluke_rpc *rpc, char *buf, uint32_t max, uint32_t *got);

struct fluke_console_server {
	int (*write)(void *ctx, uint32_t alias, const char *buf, uint32_t len);
	int (*read)(void *ctx, uint32_t alias, uint32_t request, char *buf, uint32_t max,
		    uint32_t *got);
};
void fluke_console_dispatch(const struct fluke_console_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
