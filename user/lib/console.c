/* The Console protocol: client stubs and the server-side dispatch. */
#include <fluke/console.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>
#include <string.h>

int fluke_console_put(const char *buf, uint32_t len)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_CONSOLE);
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	while (len > 0) {
		uint32_t n = len < FLUKE_RPC_DATA ? len : FLUKE_RPC_DATA;
		fluke_rpc_begin(rpc, FLUKE_CONSOLE_WRITE);
		fluke_rpc_stamp(rpc);
		fluke_rpc_put(rpc, buf, n);
		int rc = fluke_rpc_call_retry(port, rpc);
		if (rc != FLUKE_SUCCESS)
			return rc;
		buf += n;
		len -= n;
	}
	return FLUKE_SUCCESS;
}

int fluke_console_get(char *buf, uint32_t max, uint32_t *got)
{
	return fluke_console_get_on(fluke_client_rpc(), buf, max, got);
}

int fluke_console_get_on(struct fluke_rpc *rpc, char *buf, uint32_t max, uint32_t *got)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_CONSOLE);
	*got = 0;
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, FLUKE_CONSOLE_READ);
	rpc->out.arg[0] = max;
	fluke_rpc_stamp(rpc);
	int rc = fluke_rpc_call_retry(port, rpc);
	if (rc == FLUKE_SUCCESS) {
		uint32_t n = fluke_rpc_in_len(rpc);
		*got = n < max ? n : max;
		memcpy(buf, rpc->in.data, *got);
	}
	return rc;
}

void fluke_console_dispatch(const struct fluke_console_server *s, void *ctx, struct fluke_rpc *rpc)
{
	struct fluke_rpc_msg *in = &rpc->in;
	uint32_t got = 0;
	int rc;
	switch (in->op) {
	case FLUKE_CONSOLE_WRITE:
		fluke_rpc_begin(rpc, s->write(ctx, rpc->alias, in->data, fluke_rpc_in_len(rpc)));
		return;
	case FLUKE_CONSOLE_READ:
		rc = s->read(ctx, rpc->alias, in->arg[FLUKE_RPC_REQUEST], rpc->out.data,
			     in->arg[0] < FLUKE_RPC_DATA ? in->arg[0] : FLUKE_RPC_DATA, &got);
		fluke_rpc_begin(rpc, rc);
		rpc->out.len = got;
		return;
	default:
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
	}
}
