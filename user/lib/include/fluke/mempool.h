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
 * COPY (copy-on-write, served by a pager: monitors/pager) answers a second
 * region of the same size whose pages start out as the given region's: both
 * share them read-only and a write from either side copies the page first, so
 * each sees its own writes and untouched pages stay shared. A server without
 * it (the root, so every stack without a pager) answers FLUKE_INVALID_ARGUMENT:
 * the asker falls back to GET and an eager copy. The region may be any of the
 * pool's, whoever got it (holding its reference is the right to its contents);
 * the copy is the asker's, and goes back with the asker's client. Kernel
 * objects are not copied: they stay with the region copied, and a page holding
 * any is copied at once (the copy gets its bytes, never its objects).
 *
 * GET, PUT and COPY carry a request id (<fluke/rpc.h>): a GET or COPY sent again
 * (its client stopped and resumed) gets the region the first got, not a second
 * one; a PUT sent again gets the first's status. STAT needs none: it changes
 * nothing.
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
	FLUKE_MEMPOOL_COPY = 5,	/* region reference (any of the pool's), arg2
				 * request -> reference to a copy-on-write copy of
				 * it, the asker's */
};

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out);
int fluke_mempool_put(const fluke_ref_t *region);
/* The bytes the pool has granted this program (through its MemPool port), and
 * the bytes it has left. */
int fluke_mempool_stat(uint32_t *granted, uint32_t *free);
/* A copy-on-write copy of region (one of the pool's); FLUKE_INVALID_ARGUMENT
 * from a server without COPY. */
int fluke_mempool_copy(const fluke_ref_t *region, fluke_ref_t *copy_out);
/* The same through pool (a MemPool port; NULL: FLUKE_NOT_FOUND) on the exchange
 * rpc: a monitor asking for a copy that one of its clients' clients at its
 * parent owns (pm's fork). */
int fluke_mempool_copy_on(const fluke_ref_t *pool, struct fluke_rpc *rpc,
			  const fluke_ref_t *region, fluke_ref_t *copy_out);

struct fluke_mempool_server {
	int (*get)(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out);
	int (*put)(void *ctx, uint32_t alias, const fluke_ref_t *region);
	int (*stat)(void *ctx, uint32_t alias, uint32_t *granted, uint32_t *free);
	/* May be NULL: COPY is then answered FLUKE_INVALID_ARGUMENT. */
	int (*copy)(void *ctx, uint32_t alias, uint32_t request, const fluke_ref_t *region,
		    fluke_ref_t *copy_out);
};
void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
