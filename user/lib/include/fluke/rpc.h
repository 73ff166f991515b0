/*
 * The Common Protocols' one message format and transport (handouts/overview.md).
 * Every request is an idempotent IPC call (fluke_ipc_call) through a reference to
 * a server's port: an op, four argument words, up to FLUKE_RPC_DATA bytes and at
 * most one reference; the reply has the same layout, its op holding the status
 * (FLUKE_SUCCESS or an error code). A server learns which client and which
 * protocol a request is for from the alias of the port it came through, never
 * from the request: each client has ports of its own (<fluke/parent.h>), and no
 * word of a request names a client.
 * Invariant: a server answers every request before it waits again, so the kernel
 * never re-sends one (a client stopped and resumed may still send one twice).
 *
 * Request ids. A request that changes something at its server (Parent SPAWN and
 * CLIENT, Console WRITE and READ, MemPool GET, PUT and COPY, Process READ, WRITE,
 * OPEN, PIPE, WAITPID and FORK) carries an id: arg[2] a
 * count, new for each request of the program and never 0. A server that gets a
 * request whose id it has answered before, through the same client's port,
 * answers it the same again instead of doing it twice (handouts/overview.md,
 * "Resends"); ids of different clients never meet. Requests that change nothing
 * carry none.
 *
 * Bulk replies. A request whose op has FLUKE_RPC_BULK set (FileSystem READ_BULK)
 * may be answered with a tail: up to FLUKE_RPC_BULK_MAX bytes right after the
 * reply's header (whose len is then 0), which the client receives straight into
 * a buffer of its own (rpc->bulk) instead of in.data. A forwarding monitor needs
 * no knowledge of the op: fluke_rpc_forward sees the bit and passes the tail
 * down through its up exchange's bulk buffer. A server that does not know the op
 * answers FLUKE_INVALID_ARGUMENT with no tail, so a client can fall back.
 */
#ifndef FLUKE_RPC_H
#define FLUKE_RPC_H

#include <fluke/ipc.h>

#define FLUKE_RPC_DATA		1024
#define FLUKE_RPC_HEADER	24	/* bytes before data */
#define FLUKE_RPC_BULK		0x80000000u	/* in a request's op: a bulk reply */
#define FLUKE_RPC_BULK_MAX	4096	/* the longest tail of a bulk reply: a page */

struct fluke_rpc_msg {
	uint32_t op;		/* request: the protocol's op; reply: the status */
	uint32_t arg[4];
	uint32_t len;		/* bytes of data that follow */
	char data[FLUKE_RPC_DATA];
};

/* One exchange, as seen by either end: the client sends out and receives in, the
 * server receives in and sends out. Lives in writable object memory (it holds
 * two reference objects, made by fluke_rpc_init). */
struct fluke_rpc {
	fluke_ref_t in_ref;	/* the reference that arrived, if in_refs == 1; null
				 * after a message without one */
	fluke_ref_t out_ref;	/* sent along when out_refs == 1 */
	uint32_t in_refs, out_refs;
	uint32_t alias;		/* server: the alias of the port the request came through */
	uint32_t in_bytes;	/* bytes of in that arrived (at least FLUKE_RPC_HEADER) */
	/* A bulk reply's tail (FLUKE_RPC_BULK). Client: before a call, bulk_len
	 * bytes of room at bulk; after it, the tail's bytes that arrived there.
	 * Server: the tail to send after out's header (0: none; fluke_rpc_begin
	 * clears bulk_len, never bulk). A monitor's up exchange keeps bulk
	 * pointing at FLUKE_RPC_BULK_MAX bytes of its own for fluke_rpc_forward. */
	void *bulk;
	uint32_t bulk_len;
	/* Server: set by a handler to hand the request on to this port instead of
	 * answering it (fluke_rpc_serve clears it before each request). */
	const fluke_ref_t *pass;
	struct fluke_rpc_msg in, out;
};

void fluke_rpc_init(struct fluke_rpc *rpc);
/* The bytes of in.data that arrived and in.len claims: use this, never in.len. */
static inline uint32_t fluke_rpc_in_len(const struct fluke_rpc *rpc)
{
	uint32_t arrived = rpc->in_bytes - FLUKE_RPC_HEADER;
	return rpc->in.len < arrived ? rpc->in.len : arrived;
}
/* Start a request: out.op = op, no arguments, data or reference. */
void fluke_rpc_begin(struct fluke_rpc *rpc, uint32_t op);
/* Append n bytes to out's data; FLUKE_INVALID_ARGUMENT if they do not fit. */
int fluke_rpc_put(struct fluke_rpc *rpc, const void *data, uint32_t n);
/* The word of a request id in struct fluke_rpc_msg's arg[]. */
#define FLUKE_RPC_REQUEST	2
/* Give the request in rpc->out a new id (after fluke_rpc_begin). */
void fluke_rpc_stamp(struct fluke_rpc *rpc);
/* Send out through port, wait for the reply in in; returns the IPC error, or the
 * reply's status. */
int fluke_rpc_call(const fluke_ref_t *port, struct fluke_rpc *rpc);

/* fluke_rpc_call, asked again while the server answers FLUKE_WOULD_BLOCK (a
 * process manager with no thread to spare for a request that waits: input, a
 * pipe): the thread yields to let it catch up. */
int fluke_rpc_call_retry(const fluke_ref_t *port, struct fluke_rpc *rpc);

/* The program's one client exchange (its reference objects made on first use):
 * the stubs of every protocol use it, one call at a time. */
struct fluke_rpc *fluke_client_rpc(void);

/* A server's handler: answer rpc->in into rpc->out (fluke_rpc_begin(rpc, status)
 * etc.). */
typedef void (*fluke_rpc_handler)(void *ctx, struct fluke_rpc *rpc);
/* Receive requests on ps and answer each with handle, for ever. Several threads
 * may serve one port set, each with its own rpc. A request whose handler set
 * rpc->pass goes on to that port unchanged, whose server answers the client
 * (fluke_ipc_forward_wait_receive); a null one is answered FLUKE_IPC_INVALID_DEST. */
void fluke_rpc_serve(fluke_pset_t *ps, struct fluke_rpc *rpc, fluke_rpc_handler handle,
		     void *ctx) __attribute__((noreturn));
/* Send the request in down->in through port unchanged and put the answer in
 * down->out (a pass-through monitor's forwarding); up is the client exchange. A
 * bulk request's tail comes back in up->bulk and goes down from there (NULL:
 * the request is answered FLUKE_INVALID_ARGUMENT, as by a server that does not
 * know it). */
void fluke_rpc_forward(const fluke_ref_t *port, struct fluke_rpc *up, struct fluke_rpc *down);

#endif
