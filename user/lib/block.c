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

int fluke_block_read_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			uint32_t count, void *buf)
{
	char *p = buf;
	if (!port)
		return FLUKE_NOT_FOUND;
	while (count > 0) {
		uint32_t n = count < FLUKE_BLOCK_MAX ? count : FLUKE_BLOCK_MAX;
		fluke_rpc_begin(rpc, FLUKE_BLOCK_READ);
		rpc->out.arg[0] = sector;
		rpc->out.arg[1] = n;
		int rc = fluke_rpc_call(port, rpc);
		if (rc != FLUKE_SUCCESS)
			return rc;
		if (fluke_rpc_in_len(rpc) != n * FLUKE_BLOCK_SECTOR)
			return FLUKE_INVALID_ARGUMENT;	/* a server that broke the protocol */
		memcpy(p, rpc->in.data, n * FLUKE_BLOCK_SECTOR);
		p += n * FLUKE_BLOCK_SECTOR;
		sector += n;
		count -= n;
	}
	return FLUKE_SUCCESS;
}

int fluke_block_write_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			 uint32_t count, const void *buf)
{
	const char *p = buf;
	if (!port)
		return FLUKE_NOT_FOUND;
	while (count > 0) {
		uint32_t n = count < FLUKE_BLOCK_MAX ? count : FLUKE_BLOCK_MAX;
		fluke_rpc_begin(rpc, FLUKE_BLOCK_WRITE);
		rpc->out.arg[0] = sector;
		rpc->out.arg[1] = n;
		fluke_rpc_put(rpc, p, n * FLUKE_BLOCK_SECTOR);
		int rc = fluke_rpc_call(port, rpc);
		if (rc != FLUKE_SUCCESS)
			return rc;
		p += n * FLUKE_BLOCK_SECTOR;
		sector += n;
		count -= n;
	}
	return FLUKE_SUCCESS;
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
