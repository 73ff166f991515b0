/*
 * The MemPool protocol: memory as regions. GET answers a reference to a region
 * of the asked size (whole pages, readable, writable, objects allowed), which the
 * client maps where it likes; PUT gives it back (the server destroys the objects
 * in it first). A client's regions go back when the client ends: the root takes
 * back those of its own children; a program further down reaches the root
 * through a monitor's port, and that monitor gives them back when it sees the
 * program end (nest:direct, which does not see the requests, with RELEASE and
 * the program's client id).
 *
 * GET and PUT carry a request id (<fluke/rpc.h>): a GET sent again (its client
 * stopped and resumed) gets the region the first got, not a second one; a PUT
 * sent again gets the first's status. RELEASE and STAT need no id: sent again,
 * RELEASE finds nothing left to give back, STAT changes nothing.
 */
#ifndef FLUKE_MEMPOOL_H
#define FLUKE_MEMPOOL_H

#include <fluke/rpc.h>

enum {
	FLUKE_MEMPOOL_GET = 1,	/* arg0 bytes (page multiple), arg1 client, arg2 request
				 * -> region reference */
	FLUKE_MEMPOOL_PUT,	/* region reference, arg1 client, arg2 request -> nothing */
	FLUKE_MEMPOOL_RELEASE,	/* arg1 client -> nothing; every region granted to that
				 * client through this port goes back */
	FLUKE_MEMPOOL_STAT,	/* arg1 client -> arg0 bytes granted to that client
				 * through this port, arg1 bytes free in the pool */
};

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out);
int fluke_mempool_put(const fluke_ref_t *region);
/* Give back every region client (a child of this program that has ended) got
 * from this program's MemPool. */
int fluke_mempool_release(uint32_t client);
/* The bytes the pool has granted this program (through its MemPool port), and
 * the bytes it has left. */
int fluke_mempool_stat(uint32_t *granted, uint32_t *free);

struct fluke_mempool_server {
	int (*get)(void *ctx, uint32_t alias, uint32_t client, uint32_t bytes,
		   fluke_ref_t *region_out);
	int (*put)(void *ctx, uint32_t alias, const fluke_ref_t *region);
	int (*release)(void *ctx, uint32_t alias, uint32_t client);
	int (*stat)(void *ctx, uint32_t alias, uint32_t client, uint32_t *granted,
		    uint32_t *free);
};
void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
