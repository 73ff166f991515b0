/*
 * The MemPool protocol: memory as regions. GET answers a reference to a region
 * of the asked size (whole pages, readable, writable, objects allowed), which the
 * client maps where it likes; PUT gives it back (the server destroys the objects
 * in it first). Regions belong to the client whose port they were granted
 * through (<fluke/parent.h>, "Clients"), and go back when that client ends: a
 * monitor's child ends, or a monitor ends a client it made for its child
 * (Parent EXIT through the client's port). No request names a client: STAT
 * tells only the asker's own, PUT takes back only the asker's own.
 *
 * GET and PUT carry a request id (<fluke/rpc.h>): a GET sent again (its client
 * stopped and resumed) gets the region the first got, not a second one; a PUT
 * sent again gets the first's status. STAT needs none: it changes nothing.
 */
#ifndef FLUKE_MEMPOOL_H
#define FLUKE_MEMPOOL_H

#include <fluke/rpc.h>

enum {
	FLUKE_MEMPOOL_GET = 1,	/* arg0 bytes (page multiple), arg2 request -> region
				 * reference */
	FLUKE_MEMPOOL_PUT = 2,	/* region reference, arg2 request -> nothing */
	FLUKE_MEMPOOL_STAT = 4,	/* -> arg0 bytes granted through this client's port,
				 * arg1 bytes free in the pool */
};

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out);
int fluke_mempool_put(const fluke_ref_t *region);
/* The bytes the pool has granted this program (through its MemPool port), and
 * the bytes it has left. */
int fluke_mempool_stat(uint32_t *granted, uint32_t *free);

struct fluke_mempool_server {
	int (*get)(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out);
	int (*put)(void *ctx, uint32_t alias, const fluke_ref_t *region);
	int (*stat)(void *ctx, uint32_t alias, uint32_t *granted, uint32_t *free);
};
void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
