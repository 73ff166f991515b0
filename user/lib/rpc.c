/* The Common Protocols' transport: idempotent calls carrying struct fluke_rpc_msg. */
#include <fluke/rpc.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>
#include <string.h>

void fluke_rpc_init(struct fluke_rpc *rpc)
{
	fluke_ref_create(&rpc->in_ref);
	fluke_ref_create(&rpc->out_ref);
	rpc->in_refs = rpc->out_refs = 0;
}

void fluke_rpc_begin(struct fluke_rpc *rpc, uint32_t op)
{
	memset(&rpc->out, 0, FLUKE_RPC_HEADER);
	rpc->out.op = op;
	rpc->out_refs = 0;
}

int fluke_rpc_put(struct fluke_rpc *rpc, const void *data, uint32_t n)
{
	if (n > FLUKE_RPC_DATA - rpc->out.len)
		return FLUKE_INVALID_ARGUMENT;
	memcpy(rpc->out.data + rpc->out.len, data, n);
	rpc->out.len += n;
	return FLUKE_SUCCESS;
}

void fluke_rpc_stamp(struct fluke_rpc *rpc)
{
	static _Atomic uint32_t requests;	/* the last id's count */
	uint32_t request;
	do
		request = ++requests;
	while (request == 0);			/* 0 is no id */
	rpc->out.arg[FLUKE_RPC_REQUEST] = request;
}

/* Params sending rpc->out (and out_ref) and receiving into rpc->in (and in_ref). */
static void params(struct fluke_rpc *rpc, fluke_ipc_params_t *p, fluke_ref_t **out_ref,
		   fluke_ref_t **in_ref)
{
	*out_ref = &rpc->out_ref;
	*in_ref = &rpc->in_ref;
	*p = (fluke_ipc_params_t){
		.send = { &rpc->out, FLUKE_RPC_HEADER + rpc->out.len },
		.send_refs = out_ref, .send_ref_count = rpc->out_refs,
		.recv = { &rpc->in, sizeof(rpc->in) },
		.recv_refs = in_ref, .recv_ref_count = 1,
	};
}

/* Note what arrived; a message shorter than a header reads as zeros. */
static void received(struct fluke_rpc *rpc, const fluke_ipc_params_t *p)
{
	rpc->in_bytes = p->bytes_received;
	if (rpc->in_bytes < FLUKE_RPC_HEADER) {
		memset((char *)&rpc->in + rpc->in_bytes, 0, FLUKE_RPC_HEADER - rpc->in_bytes);
		rpc->in_bytes = FLUKE_RPC_HEADER;
	}
	rpc->in_refs = p->refs_received;
	if (!rpc->in_refs)
		fluke_ref_clear(&rpc->in_ref);
}

/* The IPC of a call: its error, or FLUKE_SUCCESS with the reply in rpc->in. */
static int exchange(const fluke_ref_t *port, struct fluke_rpc *rpc)
{
	fluke_ipc_params_t p;
	fluke_ref_t *out_ref, *in_ref;
	params(rpc, &p, &out_ref, &in_ref);
	int rc = fluke_ipc_call(port, &p);
	if (rc == FLUKE_SUCCESS)
		received(rpc, &p);
	return rc;
}

int fluke_rpc_call(const fluke_ref_t *port, struct fluke_rpc *rpc)
{
	int rc = exchange(port, rpc);
	return rc != FLUKE_SUCCESS ? rc : (int)rpc->in.op;
}

int fluke_rpc_call_retry(const fluke_ref_t *port, struct fluke_rpc *rpc)
{
	int rc;
	while ((rc = fluke_rpc_call(port, rpc)) == FLUKE_WOULD_BLOCK)
		fluke_thread_yield();
	return rc;
}

void fluke_rpc_serve(fluke_pset_t *ps, struct fluke_rpc *rpc, fluke_rpc_handler handle, void *ctx)
{
	fluke_ipc_params_t p;
	fluke_ref_t *out_ref, *in_ref;
	params(rpc, &p, &out_ref, &in_ref);
	int rc = fluke_ipc_wait_receive(ps, &p, &rpc->alias);
	for (;;) {
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		if (rc == FLUKE_IPC_RECV_IDEMPOTENT) {
			received(rpc, &p);
			handle(ctx, rpc);
		}	/* else nothing to answer: the empty reply is dropped */
		params(rpc, &p, &out_ref, &in_ref);
		rc = fluke_ipc_reply_wait_receive(ps, &p, &rpc->alias);
	}
}

void fluke_rpc_forward(const fluke_ref_t *port, struct fluke_rpc *up, struct fluke_rpc *down)
{
	memcpy(&up->out, &down->in, FLUKE_RPC_HEADER + fluke_rpc_in_len(down));
	up->out.len = fluke_rpc_in_len(down);
	up->out_refs = down->in_refs;
	if (up->out_refs)
		fluke_ref_copy(&up->out_ref, &down->in_ref);
	int rc = exchange(port, up);
	if (rc != FLUKE_SUCCESS) {
		fluke_rpc_begin(down, rc);
		return;
	}
	memcpy(&down->out, &up->in, FLUKE_RPC_HEADER + fluke_rpc_in_len(up));
	down->out.len = fluke_rpc_in_len(up);
	down->out_refs = up->in_refs;
	if (down->out_refs)
		fluke_ref_copy(&down->out_ref, &up->in_ref);
}
