/* ps: the process manager's table: pid, parent, group, state (R running, Z
 * ended, not yet waited for) and name of every process. */
#include <stdio.h>
#include <fluke/process.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>

int main(void)
{
	printf("  PID  PPID  PGID S NAME\n");
	fluke_service(FLUKE_SVC_PROCESS);
	for (uint32_t i = 0;; i++) {
		struct fluke_rpc *rpc = fluke_client_rpc();
		fluke_rpc_begin(rpc, FLUKE_PROCESS_PS);
		rpc->out.arg[0] = i;
		const fluke_ref_t *port = fluke_service(FLUKE_SVC_PROCESS);
		if (!port || fluke_rpc_call_retry(port, rpc) != FLUKE_SUCCESS)
			break;
		rpc->in.data[FLUKE_RPC_DATA - 1] = '\0';
		printf("%5u %5u %5u %s\n", rpc->in.arg[0], rpc->in.arg[1], rpc->in.arg[2],
		       rpc->in.data);
	}
	return 0;
}
