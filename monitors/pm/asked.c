/*
 * Resends (handouts/overview.md): the Process READ, WRITE, OPEN, PIPE and
 * WAITPID, and the Console READ and WRITE the manager serves through
 * descriptors 0 and 1, change something and may wait, so each carries a request
 * id (<fluke/rpc.h>). For each process and kind the manager keeps its latest
 * such request (struct pm_asked): the id, the thread serving it, and once it is
 * done its answer. A request whose id is kept
 *  - and done gets the kept answer and is not done again: a WRITE is not
 *    written twice, a WAITPID reaps no second child, a READ gets the same bytes;
 *  - and still served by another thread (its client was stopped and resumed
 *    while the first thread waited) waits for that thread's answer and gets it;
 *  - whose serving gave up (PM_WOULD_BLOCK, or EINTR for a signal: the client
 *    sends it again) is served anew, a WRITE from where the first left off.
 * A slot's records are cleared when a process is set up in it and when it
 * execs (a new program counts its ids from 1 again), and a thread whose ticket
 * is no longer the record's (a newer request took it, or a new process the
 * slot) leaves it alone. One record per process and kind: of two threads of
 * one process making the same kind of request at once, only the later's resend
 * is recognised. Everything here runs under pm.lock.
 */
#include "pm.h"
#include <errno.h>
#include <string.h>

static uint32_t tickets;	/* handed out so far */

int pm_asked_begin(uint32_t slot, int kind, struct fluke_rpc *rpc, uint32_t *ticket,
		   uint32_t *progress)
{
	struct pm_asked *a = &procs[slot].asked[kind];
	uint32_t request = rpc->in.arg[FLUKE_RPC_REQUEST];
	uint32_t pid = pm.children[slot].pid, seq = procs[slot].sigseq;
	int err;
	*ticket = *progress = 0;
	if (!request)
		return 0;		/* no id: never answered from a record */
	while (a->request == request && a->ticket)
		if ((err = pm_wait(slot, pid, seq)) != 0)
			return err;
	if (a->request == request && a->done) {
		fluke_rpc_begin(rpc, a->status);
		memcpy(rpc->out.arg, a->arg, sizeof(a->arg));
		if (kind == PM_ASK_READ)
			fluke_rpc_put(rpc, procs[slot].read_kept, a->len);
		return PM_KEPT;
	}
	if (a->request == request)
		*progress = a->progress;
	else
		a->progress = 0;
	a->request = request;
	a->done = 0;
	do
		a->ticket = ++tickets;
	while (a->ticket == 0);
	*ticket = a->ticket;
	return 0;
}

void pm_asked_end(uint32_t slot, int kind, uint32_t ticket, const struct fluke_rpc *rpc,
		  int done, uint32_t progress)
{
	struct pm_asked *a = &procs[slot].asked[kind];
	if (!ticket || a->ticket != ticket)
		return;
	a->ticket = 0;
	a->done = done;
	a->progress = progress;
	if (done) {
		a->status = rpc->out.op;
		memcpy(a->arg, rpc->out.arg, sizeof(a->arg));
		a->len = kind == PM_ASK_READ ? rpc->out.len : 0;
		memcpy(procs[slot].read_kept, rpc->out.data, a->len);
	}
	fluke_cond_broadcast(&pm.changed);	/* for a resend waiting for this answer */
}

void pm_asked_clear(uint32_t slot)
{
	memset(procs[slot].asked, 0, sizeof(procs[slot].asked));
}
