/*
 * badreq: malformed requests through the program's own Console, MemPool,
 * FileSystem and Parent ports, each as one raw idempotent call, for the
 * tracer's test (grade/lab1_trace.py): an op the protocol lacks, a WRITE whose
 * len claims more data than it sends, a WRITE of more data than a message
 * holds, a PUT with no region, an OPEN whose name has no NUL, a Parent op the
 * protocol lacks. It prints each answer's status, then that its ports still
 * serve it: memory got, and a file opened, its size asked and read.
 * Under the tracer each is refused (FLUKE_INVALID_ARGUMENT); the root alone
 * refuses the unknown ops and the PUT, and writes what came of the WRITEs.
 */
#include <fluke/console.h>
#include <fluke/mempool.h>
#include <fluke/fs.h>
#include <fluke/parent.h>
#include <fluke/start.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A request as sent: the header and room past FLUKE_RPC_DATA (an oversized one). */
static struct {
	struct fluke_rpc_msg msg;
	char more[1024];
} req;
static struct fluke_rpc_msg reply;

/* Send op with arg0 and data bytes of data (the header's len says claim) through
 * port; the answer's status, or the IPC error. */
static int raw(const fluke_ref_t *port, uint32_t op, uint32_t arg0, uint32_t data,
	       uint32_t claim)
{
	memset(&req, 0, sizeof(req));
	memcpy(req.msg.data, "hello", 5);	/* an OPEN's name without its NUL */
	req.msg.op = op;
	req.msg.arg[0] = arg0;
	req.msg.len = claim;
	fluke_ipc_params_t p = {
		.send = { &req, FLUKE_RPC_HEADER + data },
		.recv = { &reply, sizeof(reply) },
	};
	int rc = fluke_ipc_call(port, &p);
	return rc ? rc : (int)reply.op;
}

int main(void)
{
	const fluke_ref_t *console = fluke_service(FLUKE_SVC_CONSOLE);
	const fluke_ref_t *mempool = fluke_service(FLUKE_SVC_MEMPOOL);
	const fluke_ref_t *fs = fluke_service(FLUKE_SVC_FS);
	uint32_t handle, size, got;
	char head[4];
	if (!console || !mempool || !fs)
		return 1;
	int rc[6] = {
		raw(console, 9, 0, 0, 0),
		raw(console, FLUKE_CONSOLE_WRITE, 0, 10, 5000),
		raw(console, FLUKE_CONSOLE_WRITE, 0, FLUKE_RPC_DATA + 500, FLUKE_RPC_DATA + 500),
		raw(mempool, FLUKE_MEMPOOL_PUT, 0, 0, 0),
		raw(fs, FLUKE_FS_OPEN, 0, 5, 5),
		raw(fluke_parent(), 9, 0, 0, 0),
	};
	printf("badreq: Console op 9: error %d\n", rc[0]);
	printf("badreq: Console WRITE claiming 5000 bytes with 10: error %d\n", rc[1]);
	printf("badreq: Console WRITE of %d bytes: error %d\n", FLUKE_RPC_DATA + 500, rc[2]);
	printf("badreq: MemPool PUT with no region: error %d\n", rc[3]);
	printf("badreq: FileSystem OPEN of a name with no NUL: error %d\n", rc[4]);
	printf("badreq: Parent op 9: error %d\n", rc[5]);
	char *mem = malloc(64 * 1024);
	int ok = mem && fluke_fs_open("hello", &handle) == FLUKE_SUCCESS &&
		 fluke_fs_stat(handle, &size) == FLUKE_SUCCESS &&
		 fluke_fs_read(handle, 0, head, sizeof(head), &got) == FLUKE_SUCCESS &&
		 got == sizeof(head) && memcmp(head, "\x7f" "ELF", 4) == 0;
	printf("badreq: still served after 6 bad requests: %s\n",
	       ok ? "memory got, hello opened and read" : "no");
	return !ok;
}
