/* The Block protocol: client stubs and the server-side dispatch. */
#include <fluke/block.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>
#include <string.h>

/* The client exchange, begun with op. The port is looked up first: that may
 * itself be a call through the same exchange. */
static struct fluke_rpc *begin(uint32_t op, const fluke_ref_t **port)
{
	*port = fluke_service(FLUKE_SVC_BLOCK);
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, op);
	return rpc;
}

int fluke_block_size(uint32_t *sectors)
{
	const fluke_ref_t *port;
	struct fluke_rpc *rpc = begin(FLUKE_BLOCK_SIZE, &port);
	*sectors = 0;
	if (!port)
		return FLUKE_NOT_FOUND;
	int rc = fluke_rpc_call(port, rpc);
	if (rc == FLUKE_SUCCESS)
		*sectors = rpc->in.arg[0];
	return rc;
}

/* Move count sectors at sector in requests of FLUKE_BLOCK_MAX: op READ into in,
 * or WRITE from out. */
static int transfer(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t op,
		    uint32_t sector, uint32_t count, char *in, const char *out)
{
	if (!port)
		return FLUKE_NOT_FOUND;
	for (uint32_t n; count > 0; sector += n, count -= n) {
		n = count < FLUKE_BLOCK_MAX ? count : FLUKE_BLOCK_MAX;
		uint32_t bytes = n * FLUKE_BLOCK_SECTOR;
		fluke_rpc_begin(rpc, op);
		rpc->out.arg[0] = sector;
		rpc->out.arg[1] = n;
		if (out) {
			fluke_rpc_put(rpc, out, bytes);
			out += bytes;
		}
		int rc = fluke_rpc_call(port, rpc);
		if (rc != FLUKE_SUCCESS)
			return rc;
		if (in) {
			if (fluke_rpc_in_len(rpc) != bytes)
				return FLUKE_INVALID_ARGUMENT;	/* a server that broke the protocol */
			memcpy(in, rpc->in.data, bytes);
			in += bytes;
		}
	}
	return FLUKE_SUCCESS;
}

int fluke_block_read_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			uint32_t count, void *buf)
{
	return transfer(port, rpc, FLUKE_BLOCK_READ, sector, count, buf, 0);
}

int fluke_block_write_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			 uint32_t count, const void *buf)
{
	return transfer(port, rpc, FLUKE_BLOCK_WRITE, sector, count, 0, buf);
}

int fluke_block_read(uint32_t sector, uint32_t count, void *buf)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_BLOCK);
	return fluke_block_read_on(port, fluke_client_rpc(), sector, count, buf);
}

int fluke_block_write(uint32_t sector, uint32_t count, const void *buf)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_BLOCK);
	return fluke_block_write_on(port, fluke_client_rpc(), sector, count, buf);
}

void fluke_block_dispatch(const struct fluke_block_server *s, void *ctx, struct fluke_rpc *rpc)
{
	struct fluke_rpc_msg *in = &rpc->in;
	uint32_t sectors = 0, first = in->arg[0], count = in->arg[1];
	int rc = s->size(ctx, rpc->alias, &sectors);
	if (rc != FLUKE_SUCCESS) {
		fluke_rpc_begin(rpc, rc);
		return;
	}
	switch (in->op) {
	case FLUKE_BLOCK_SIZE:
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		rpc->out.arg[0] = sectors;
		return;
	case FLUKE_BLOCK_READ:
	case FLUKE_BLOCK_WRITE:
		/* Written so that no sum can wrap. */
		if (count == 0 || count > FLUKE_BLOCK_MAX || first >= sectors ||
		    count > sectors - first) {
			fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
			return;
		}
		if (in->op == FLUKE_BLOCK_READ) {
			rc = s->read(ctx, rpc->alias, first, count, rpc->out.data);
			fluke_rpc_begin(rpc, rc);
			if (rc == FLUKE_SUCCESS)
				rpc->out.len = count * FLUKE_BLOCK_SECTOR;
			return;
		}
		if (fluke_rpc_in_len(rpc) != count * FLUKE_BLOCK_SECTOR) {
			fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
			return;
		}
		fluke_rpc_begin(rpc, s->write(ctx, rpc->alias, first, count, in->data));
		return;
	default:
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
	}
}
