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
	rpc->bulk = 0;
	rpc->bulk_len = 0;
	rpc->pass = 0;
}

void fluke_rpc_begin(struct fluke_rpc *rpc, uint32_t op)
{
	memset(&rpc->out, 0, FLUKE_RPC_HEADER);
	rpc->out.op = op;
	rpc->out_refs = 0;
	rpc->bulk_len = 0;
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

/* Whether the client's request in rpc->out takes its reply's tail into bulk. */
static int bulk_call(const struct fluke_rpc *rpc)
{
	return (rpc->out.op & FLUKE_RPC_BULK) && rpc->bulk;
}

/* Params sending rpc->out (and out_ref) and receiving into rpc->in (and in_ref).
 * A bulk tail goes through tab: a server's reply sends bulk_len bytes from bulk
 * after out's header; a client's bulk request receives the reply's header into
 * in and the rest into bulk. */
static void params(struct fluke_rpc *rpc, fluke_ipc_params_t *p, fluke_ref_t **out_ref,
		   fluke_ref_t **in_ref, fluke_ipc_buf_t *tab, int server)
{
	*out_ref = &rpc->out_ref;
	*in_ref = &rpc->in_ref;
	*p = (fluke_ipc_params_t){
		.send = { &rpc->out, FLUKE_RPC_HEADER + rpc->out.len },
		.send_refs = out_ref, .send_ref_count = rpc->out_refs,
		.recv = { &rpc->in, sizeof(rpc->in) },
		.recv_refs = in_ref, .recv_ref_count = 1,
	};
	*tab = (fluke_ipc_buf_t){ rpc->bulk, rpc->bulk_len };
	if (server && rpc->bulk_len) {
		p->send_tab = tab;
		p->send_tab_count = 1;
	} else if (!server && bulk_call(rpc)) {
		p->recv.bytes = FLUKE_RPC_HEADER;
		p->recv_tab = tab;
		p->recv_tab_count = 1;
	}
}

/* Note what arrived; a message shorter than a header reads as zeros. A tail
 * (tail: a client's bulk request) is what came after the header. */
static void received(struct fluke_rpc *rpc, const fluke_ipc_params_t *p, int tail)
{
	rpc->in_bytes = p->bytes_received;
	if (tail) {
		rpc->bulk_len = rpc->in_bytes > FLUKE_RPC_HEADER ? rpc->in_bytes - FLUKE_RPC_HEADER
								 : 0;
		rpc->in.len = 0;
		if (rpc->in_bytes > FLUKE_RPC_HEADER)
			rpc->in_bytes = FLUKE_RPC_HEADER;
	}
	if (rpc->in_bytes < FLUKE_RPC_HEADER) {
		memset((char *)&rpc->in + rpc->in_bytes, 0, FLUKE_RPC_HEADER - rpc->in_bytes);
		rpc->in_bytes = FLUKE_RPC_HEADER;
	}
	uint32_t had = rpc->in_refs;
	rpc->in_refs = p->refs_received;
	if (!rpc->in_refs && had)	/* else in_ref is null already: no call */
		fluke_ref_clear(&rpc->in_ref);
}

/* The IPC of a call: its error, or FLUKE_SUCCESS with the reply in rpc->in. */
static int exchange(const fluke_ref_t *port, struct fluke_rpc *rpc)
{
	fluke_ipc_params_t p;
	fluke_ref_t *out_ref, *in_ref;
	fluke_ipc_buf_t tab;
	params(rpc, &p, &out_ref, &in_ref, &tab, 0);
	int rc = fluke_ipc_call(port, &p);
	if (rc == FLUKE_SUCCESS)
		received(rpc, &p, bulk_call(rpc));
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
	fluke_ipc_buf_t tab;
	params(rpc, &p, &out_ref, &in_ref, &tab, 1);
	int rc = fluke_ipc_wait_receive(ps, &p, &rpc->alias);
	for (;;) {
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		rpc->pass = 0;
		if (rc == FLUKE_IPC_RECV_IDEMPOTENT) {
			received(rpc, &p, 0);
			handle(ctx, rpc);
		}	/* else nothing to answer: the empty reply is dropped */
		params(rpc, &p, &out_ref, &in_ref, &tab, 1);
		if (rpc->pass) {
			rc = fluke_ipc_forward_wait_receive(rpc->pass, ps, &p, &rpc->alias);
			if (rc != FLUKE_IPC_INVALID_DEST)
				continue;
			fluke_rpc_begin(rpc, rc);	/* still held: answered here */
			params(rpc, &p, &out_ref, &in_ref, &tab, 1);
		}
		rc = fluke_ipc_reply_wait_receive(ps, &p, &rpc->alias);
	}
}

void fluke_rpc_forward(const fluke_ref_t *port, struct fluke_rpc *up, struct fluke_rpc *down)
{
	int bulk = (down->in.op & FLUKE_RPC_BULK) != 0;
	if (bulk && !up->bulk) {
		fluke_rpc_begin(down, FLUKE_INVALID_ARGUMENT);
		return;
	}
	memcpy(&up->out, &down->in, FLUKE_RPC_HEADER + fluke_rpc_in_len(down));
	up->out.len = fluke_rpc_in_len(down);
	up->out_refs = down->in_refs;
	if (up->out_refs)
		fluke_ref_copy(&up->out_ref, &down->in_ref);
	up->bulk_len = bulk ? FLUKE_RPC_BULK_MAX : 0;
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
	down->bulk = up->bulk;
	down->bulk_len = bulk ? up->bulk_len : 0;
}
