/*
 * The root's answers to requests with an id (<fluke/rpc.h>): Console WRITE and
 * READ, MemPool GET and PUT. For each port, client and op the root keeps its
 * last answer and that request's id; a request sent again (its client stopped
 * and resumed) gets the kept answer instead of being done twice: a WRITE is not
 * printed again, a GET gets the region the first got, a PUT the first's status.
 *
 * ANSWERS records, under the monitor's lock. A new (port, client, op) takes the
 * least recently kept record, so a resend is recognised unless ANSWERS other
 * (port, client, op) got answers between it and the first. Record i is empty
 * while used == 0; its ref exists once it has been used.
 */
#include "root.h"
#include <fluke/ref.h>
#include <string.h>

#define ANSWERS	32

static struct answer {
	fluke_ref_t ref;		/* the reply's reference, if refs */
	uint32_t alias, client, op, request;
	uint32_t used;			/* keeps when last kept; 0: empty */
	uint32_t refs;
	struct fluke_rpc_msg reply;
} answers[ANSWERS];
static uint32_t keeps;			/* answers kept so far */

/* The record for (port, client, op), or NULL. */
static struct answer *record(uint32_t alias, uint32_t client, uint32_t op)
{
	for (struct answer *a = answers; a < answers + ANSWERS; a++)
		if (a->used && a->alias == alias && a->client == client && a->op == op)
			return a;
	return 0;
}

/* The record holding the answer to request (not 0), or NULL. */
static struct answer *kept(uint32_t alias, uint32_t client, uint32_t op, uint32_t request)
{
	struct answer *a = record(alias, client, op);
	return request && a && a->request == request ? a : 0;
}

const struct fluke_rpc_msg *answer_find(uint32_t alias, uint32_t client, uint32_t op,
					uint32_t request)
{
	struct answer *a = kept(alias, client, op, request);
	return a ? &a->reply : 0;
}

int answer_again(struct fluke_rpc *rpc)
{
	const struct fluke_rpc_msg *in = &rpc->in;
	struct answer *a = kept(rpc->alias, in->arg[FLUKE_RPC_CLIENT], in->op,
				in->arg[FLUKE_RPC_REQUEST]);
	if (!a)
		return 0;
	memcpy(&rpc->out, &a->reply, FLUKE_RPC_HEADER + a->reply.len);
	rpc->out_refs = a->refs;
	if (a->refs)
		fluke_ref_copy(&rpc->out_ref, &a->ref);
	return 1;
}

void answer_keep(const struct fluke_rpc *rpc)
{
	const struct fluke_rpc_msg *in = &rpc->in;
	if (!in->arg[FLUKE_RPC_REQUEST])
		return;
	struct answer *a = record(rpc->alias, in->arg[FLUKE_RPC_CLIENT], in->op);
	if (!a) {
		a = answers;
		for (struct answer *b = answers; b < answers + ANSWERS; b++)
			if (b->used < a->used)
				a = b;
		if (!a->used)
			fluke_ref_create(&a->ref);
	}
	a->alias = rpc->alias;
	a->client = in->arg[FLUKE_RPC_CLIENT];
	a->op = in->op;
	a->request = in->arg[FLUKE_RPC_REQUEST];
	a->used = ++keeps;
	memcpy(&a->reply, &rpc->out, FLUKE_RPC_HEADER + rpc->out.len);
	a->refs = rpc->out_refs;
	if (a->refs)
		fluke_ref_copy(&a->ref, &rpc->out_ref);
}
