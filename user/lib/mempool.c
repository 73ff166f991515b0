/* The MemPool protocol: client stubs and the server-side dispatch. */
#include <fluke/mempool.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/error.h>

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_MEMPOOL);
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_GET);
	rpc->out.arg[0] = bytes;
	int rc = fluke_rpc_call(port, rpc);
	if (rc == FLUKE_SUCCESS && !rpc->in_refs)
		rc = FLUKE_NO_MEMORY;
	if (rc == FLUKE_SUCCESS)
		fluke_ref_copy(region_out, &rpc->in_ref);
	return rc;
}

int fluke_mempool_put(const fluke_ref_t *region)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_MEMPOOL);
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_PUT);
	fluke_ref_copy(&rpc->out_ref, region);
	rpc->out_refs = 1;
	return fluke_rpc_call(port, rpc);
}

void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc)
{
	int rc;
	switch (rpc->in.op) {
	case FLUKE_MEMPOOL_GET:
		rc = s->get(ctx, rpc->alias, rpc->in.arg[0], &rpc->out_ref);
		fluke_rpc_begin(rpc, rc);
		rpc->out_refs = rc == FLUKE_SUCCESS;
		return;
	case FLUKE_MEMPOOL_PUT:
		rc = rpc->in_refs ? s->put(ctx, rpc->alias, &rpc->in_ref) : FLUKE_INVALID_ARGUMENT;
		fluke_rpc_begin(rpc, rc);
		return;
	default:
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
	}
}
