/* The checkpoint request's client stub (<fluke/ckpt.h>). */
#include <fluke/ckpt.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>

int fluke_ckpt_request(uint32_t *seq)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_PROCESS);
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, FLUKE_CKPT_TAKE);
	fluke_rpc_stamp(rpc);
	int rc = fluke_rpc_call(port, rpc);
	if (seq)
		*seq = rc == FLUKE_SUCCESS ? rpc->in.arg[0] : 0;
	return rc;
}
