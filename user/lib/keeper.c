/* The keeper's side of <fluke/keeper.h>: one call answers and waits. */
#include <fluke/keeper.h>
#include <fluke/abi/error.h>
#include <fluke/ipc.h>
#include <string.h>

int fluke_keeper_next(fluke_pset_t *ps, int answer, uint32_t verdict, fluke_keeper_msg_t *msg,
		      fluke_ref_t *thread, fluke_ref_t *about)
{
	fluke_ref_t *refs[FLUKE_KEEPER_REFS] = { thread, about };
	fluke_ipc_params_t p;
	uint32_t alias;
	memset(&p, 0, sizeof(p));
	if (answer && verdict) {
		p.send.ptr = &verdict;
		p.send.bytes = sizeof(verdict);
	}
	p.recv.ptr = msg;
	p.recv.bytes = sizeof(*msg);
	p.recv_refs = refs;
	p.recv_ref_count = FLUKE_KEEPER_REFS;
	int rc = answer ? fluke_ipc_reply_wait_receive(ps, &p, &alias)
			: fluke_ipc_wait_receive(ps, &p, &alias);
	if (rc != FLUKE_IPC_RECV_IDEMPOTENT)
		return rc ? rc : FLUKE_INVALID_ARGUMENT;
	return p.bytes_received == sizeof(*msg) && p.refs_received == FLUKE_KEEPER_REFS
	       ? 0 : FLUKE_INVALID_ARGUMENT;
}
