/*
 * The root's answers to Console requests with an id (<fluke/rpc.h>): WRITE and
 * READ (MemPool GET and PUT sent again the grant server recognises itself,
 * <fluke/grant.h>). For each port (so each client and protocol: the alias tells
 * both) and op the root keeps its last answer and that request's id; a request
 * sent again (its client stopped and resumed) gets the kept answer instead of
 * being done twice: a WRITE is not printed again, a READ gets the same bytes. A request id is only ever
 * compared with those that came through the same port, so no client can
 * answer, or suppress, another's request; a client's answers go when it ends.
 *
 * ANSWERS records, under the monitor's lock. A new (port, op) takes the least
 * recently kept record, so a resend is recognised unless ANSWERS other (port,
 * op) pairs got answers between it and the first. Record i is empty while used
 * == 0; its ref exists from answer_init on.
 */
#include "root.h"
#include <fluke/monitor.h>
#include <fluke/ref.h>
#include <string.h>

#define ANSWERS	32

static struct answer {
	fluke_ref_t ref;		/* the reply's reference, if refs */
	uint32_t alias, op, request;
	uint32_t used;			/* keeps when last kept; 0: empty */
	uint32_t refs;
	struct fluke_rpc_msg reply;
} answers[ANSWERS];
static uint32_t keeps;			/* answers kept so far */

void answer_init(void)
{
	for (struct answer *a = answers; a < answers + ANSWERS; a++)
		fluke_ref_create(&a->ref);
}

/* The record for (port, op), or NULL. */
static struct answer *record(uint32_t alias, uint32_t op)
{
	for (struct answer *a = answers; a < answers + ANSWERS; a++)
		if (a->used && a->alias == alias && a->op == op)
			return a;
	return 0;
}

/* The record holding the answer to request (not 0), or NULL. */
static struct answer *kept(uint32_t alias, uint32_t op, uint32_t request)
{
	struct answer *a = record(alias, op);
	return request && a && a->request == request ? a : 0;
}

const struct fluke_rpc_msg *answer_find(uint32_t alias, uint32_t op, uint32_t request)
{
	struct answer *a = kept(alias, op, request);
	return a ? &a->reply : 0;
}

int answer_again(struct fluke_rpc *rpc)
{
	const struct fluke_rpc_msg *in = &rpc->in;
	struct answer *a = kept(rpc->alias, in->op, in->arg[FLUKE_RPC_REQUEST]);
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
	struct answer *a = record(rpc->alias, in->op);
	if (!a) {
		a = answers;
		for (struct answer *b = answers; b < answers + ANSWERS; b++)
			if (b->used < a->used)
				a = b;
	}
	a->alias = rpc->alias;
	a->op = in->op;
	a->request = in->arg[FLUKE_RPC_REQUEST];
	a->used = ++keeps;
	memcpy(&a->reply, &rpc->out, FLUKE_RPC_HEADER + rpc->out.len);
	a->refs = rpc->out_refs;
	if (a->refs)
		fluke_ref_copy(&a->ref, &rpc->out_ref);
}

void answer_forget(uint32_t client)
{
	for (struct answer *a = answers; a < answers + ANSWERS; a++) {
		if (a->used && FLUKE_MON_CLIENT(a->alias) == client) {
			a->used = 0;
			fluke_ref_clear(&a->ref);
		}
	}
}
