/*
 * The MemPool protocol: memory as regions. GET answers a reference to a region
 * of the asked size (whole pages, readable, writable, objects allowed), which the
 * client maps where it likes; PUT gives it back (the server destroys the objects
 * in it first). A server reclaims a client's regions when the client ends.
 */
#ifndef FLUKE_MEMPOOL_H
#define FLUKE_MEMPOOL_H

#include <fluke/rpc.h>

enum {
	FLUKE_MEMPOOL_GET = 1,	/* arg0 bytes (page multiple) -> region reference */
	FLUKE_MEMPOOL_PUT,	/* region reference -> nothing */
};

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out);
int fluke_mempool_put(const fluke_ref_t *region);

struct fluke_mempool_server {
	int (*get)(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out);
	int (*put)(void *ctx, uint32_t alias, const fluke_ref_t *region);
};
void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
