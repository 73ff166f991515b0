/* The MemPool protocol: client stubs and the server-side dispatch. */
#include <fluke/mempool.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>

/* The client exchange, begun with op; NULL if there is no MemPool. */
static struct fluke_rpc *begin(uint32_t op)
{
	if (!fluke_service(FLUKE_SVC_MEMPOOL))
		return 0;
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, op);
	return rpc;
}

static int call(struct fluke_rpc *rpc)
{
	return fluke_rpc_call(fluke_service(FLUKE_SVC_MEMPOOL), rpc);
}

int fluke_mempool_get(uint32_t bytes, fluke_ref_t *region_out)
{
	struct fluke_rpc *rpc = begin(FLUKE_MEMPOOL_GET);
	if (!rpc)
		return FLUKE_NOT_FOUND;
	rpc->out.arg[0] = bytes;
	fluke_rpc_stamp(rpc);
	int rc = call(rpc);
	if (rc == FLUKE_SUCCESS && !rpc->in_refs)
		rc = FLUKE_NO_MEMORY;
	if (rc == FLUKE_SUCCESS)
		fluke_ref_copy(region_out, &rpc->in_ref);
	return rc;
}

int fluke_mempool_put(const fluke_ref_t *region)
{
	struct fluke_rpc *rpc = begin(FLUKE_MEMPOOL_PUT);
	if (!rpc)
		return FLUKE_NOT_FOUND;
	fluke_rpc_stamp(rpc);
	fluke_ref_copy(&rpc->out_ref, region);
	rpc->out_refs = 1;
	return call(rpc);
}

int fluke_mempool_copy(const fluke_ref_t *region, fluke_ref_t *copy_out)
{
	return fluke_mempool_copy_on(fluke_service(FLUKE_SVC_MEMPOOL), fluke_client_rpc(), region,
				     copy_out);
}

int fluke_mempool_copy_on(const fluke_ref_t *pool, struct fluke_rpc *rpc,
			  const fluke_ref_t *region, fluke_ref_t *copy_out)
{
	if (!pool)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_COPY);
	fluke_rpc_stamp(rpc);
	fluke_ref_copy(&rpc->out_ref, region);
	rpc->out_refs = 1;
	int rc = fluke_rpc_call(pool, rpc);
	if (rc == FLUKE_SUCCESS && !rpc->in_refs)
		rc = FLUKE_NO_MEMORY;
	if (rc == FLUKE_SUCCESS)
		fluke_ref_copy(copy_out, &rpc->in_ref);
	return rc;
}

int fluke_mempool_stat(uint32_t *granted, uint32_t *free)
{
	struct fluke_rpc *rpc = begin(FLUKE_MEMPOOL_STAT);
	if (!rpc)
		return FLUKE_NOT_FOUND;
	int rc = call(rpc);
	*granted = rpc->in.arg[0];
	*free = rpc->in.arg[1];
	return rc;
}

void fluke_mempool_dispatch(const struct fluke_mempool_server *s, void *ctx, struct fluke_rpc *rpc)
{
	const struct fluke_rpc_msg *in = &rpc->in;
	uint32_t granted = 0, free = 0;
	int rc;
	switch (in->op) {
	case FLUKE_MEMPOOL_GET:
		rc = s->get(ctx, rpc->alias, in->arg[0], &rpc->out_ref);
		fluke_rpc_begin(rpc, rc);
		rpc->out_refs = rc == FLUKE_SUCCESS;
		return;
	case FLUKE_MEMPOOL_PUT:
		rc = rpc->in_refs ? s->put(ctx, rpc->alias, &rpc->in_ref) : FLUKE_INVALID_ARGUMENT;
		fluke_rpc_begin(rpc, rc);
		return;
	case FLUKE_MEMPOOL_STAT:
		rc = s->stat(ctx, rpc->alias, &granted, &free);
		fluke_rpc_begin(rpc, rc);
		rpc->out.arg[0] = granted;
		rpc->out.arg[1] = free;
		return;
	case FLUKE_MEMPOOL_COPY:
		rc = s->copy && rpc->in_refs ? s->copy(ctx, rpc->alias, in->arg[FLUKE_RPC_REQUEST],
						       &rpc->in_ref, &rpc->out_ref)
					     : FLUKE_INVALID_ARGUMENT;
		fluke_rpc_begin(rpc, rc);
		rpc->out_refs = rc == FLUKE_SUCCESS;
		return;
	default:
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
	}
}
