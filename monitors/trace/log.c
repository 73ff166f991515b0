/*
 * The tracer's decoding (trace.h): the text of a request and of its answer,
 * and what makes a request malformed. Everything here reads only what came:
 * the data a request brought is fluke_rpc_in_len(rpc) bytes, whatever its len
 * word claims, and the answer's is rpc->out.len (which the server set).
 */
#include "trace.h"
#include <fluke/process.h>
#include <fluke/parent.h>
#include <fluke/console.h>
#include <fluke/mempool.h>
#include <fluke/fs.h>
#include <fluke/block.h>
#include <fluke/abi/error.h>
#include <stdarg.h>
#include <stdio.h>

#define QUOTED_MAX	32

void trace_put(struct trace_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (uint32_t)n < sizeof(t->buf) - t->len ? (uint32_t)n
								: sizeof(t->buf) - 1 - t->len;
}

void trace_quoted(struct trace_text *t, const char *data, uint32_t n)
{
	trace_put(t, "\"");
	for (uint32_t i = 0; i < n && i < QUOTED_MAX; i++) {
		unsigned char c = data[i];
		if (c == '\n')
			trace_put(t, "\\n");
		else if (c == '"' || c == '\\')
			trace_put(t, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			trace_put(t, "\\x%02x", c);
		else
			trace_put(t, "%c", c);
	}
	trace_put(t, n > QUOTED_MAX ? "\"..." : "\"");
}

const char *trace_service_name(uint32_t service)
{
	static const char *const names[FLUKE_SERVICES] = {
		[FLUKE_SVC_PARENT] = "Parent", [FLUKE_SVC_CONSOLE] = "Console",
		[FLUKE_SVC_MEMPOOL] = "MemPool", [FLUKE_SVC_FS] = "FileSystem",
		[FLUKE_SVC_BLOCK] = "Block", [FLUKE_SVC_PROCESS] = "Process",
	};
	return service < FLUKE_SERVICES && names[service] ? names[service] : "?";
}

const char *trace_op_name(uint32_t service, uint32_t op)
{
	/* LAB 1: BEGIN SOLUTION */
	static const char *const ops[FLUKE_SERVICES][TRACE_OPS] = {
		[FLUKE_SVC_PARENT] = {
			[FLUKE_PARENT_GET] = "get", [FLUKE_PARENT_EXIT] = "exit",
			[FLUKE_PARENT_SPAWN] = "spawn", [FLUKE_PARENT_WAIT] = "wait",
			[FLUKE_PARENT_CLIENT] = "client", [FLUKE_PARENT_IOPORTS] = "ioports",
		},
		[FLUKE_SVC_CONSOLE] = {
			[FLUKE_CONSOLE_WRITE] = "write", [FLUKE_CONSOLE_READ] = "read",
		},
		[FLUKE_SVC_MEMPOOL] = {
			[FLUKE_MEMPOOL_GET] = "get", [FLUKE_MEMPOOL_PUT] = "put",
			[FLUKE_MEMPOOL_STAT] = "stat", [FLUKE_MEMPOOL_COPY] = "copy",
		},
		[FLUKE_SVC_FS] = {
			[FLUKE_FS_OPEN] = "open", [FLUKE_FS_READ] = "read",
			[FLUKE_FS_STAT] = "stat", [FLUKE_FS_LIST] = "list",
		},
		[FLUKE_SVC_BLOCK] = {
			[FLUKE_BLOCK_SIZE] = "size", [FLUKE_BLOCK_READ] = "read",
			[FLUKE_BLOCK_WRITE] = "write",
		},
		[FLUKE_SVC_PROCESS] = {
			[FLUKE_PROCESS_GETPID] = "getpid", [FLUKE_PROCESS_WAITPID] = "waitpid",
			[FLUKE_PROCESS_KILL] = "kill", [FLUKE_PROCESS_SIGACTION] = "sigaction",
			[FLUKE_PROCESS_SETPGID] = "setpgid", [FLUKE_PROCESS_TCSETPGRP] = "tcsetpgrp",
			[FLUKE_PROCESS_READ] = "read", [FLUKE_PROCESS_WRITE] = "write",
			[FLUKE_PROCESS_OPEN] = "open", [FLUKE_PROCESS_CLOSE] = "close",
			[FLUKE_PROCESS_DUP2] = "dup2", [FLUKE_PROCESS_PIPE] = "pipe",
			[FLUKE_PROCESS_EXEC] = "exec", [FLUKE_PROCESS_PS] = "ps",
			[FLUKE_PROCESS_FORK] = "fork",
		},
	};
	return service < FLUKE_SERVICES && op < TRACE_OPS ? ops[service][op] : 0;
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)service, (void)op;
	//| return 0;
	/* LAB 1: END */
}

/* LAB 1: BEGIN SOLUTION */
/* Append a SPAWN's words, each quoted: as many as came, argc at most. */
static void words(struct trace_text *t, const struct fluke_rpc *rpc)
{
	const char *data = rpc->in.data;
	uint32_t len = fluke_rpc_in_len(rpc), pos = 0;
	for (uint32_t n = 0; n < rpc->in.arg[0] && pos < len; n++) {
		uint32_t end = pos;
		while (end < len && data[end])
			end++;
		trace_put(t, ", ");
		trace_quoted(t, data + pos, end - pos);
		pos = end + 1;
	}
}
/* LAB 1: END */

void trace_request(struct trace_text *t, uint32_t service, const struct fluke_rpc *rpc)
{
	/* LAB 1: BEGIN SOLUTION */
	const struct fluke_rpc_msg *in = &rpc->in;
	const uint32_t *a = in->arg;
	uint32_t len = fluke_rpc_in_len(rpc);
	const char *op = trace_op_name(service, in->op);
	if (!op) {
		trace_put(t, "%s.op%u(len=%u)", trace_service_name(service), in->op, len);
		return;
	}
	trace_put(t, "%s.%s(", trace_service_name(service), op);
	switch (service * TRACE_OPS + in->op) {
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_GET:
		if (a[0] < FLUKE_SERVICES)
			trace_put(t, "service=%s", trace_service_name(a[0]));
		else
			trace_put(t, "service=%u", a[0]);
		break;
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_EXIT:
		trace_put(t, "status=%d", (int)a[0]);
		break;
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_SPAWN:
		trace_put(t, "argc=%u", a[0]);
		words(t, rpc);
		break;
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_WAIT:
		trace_put(t, "pid=%u", a[0]);
		break;
	case FLUKE_SVC_CONSOLE * TRACE_OPS + FLUKE_CONSOLE_WRITE:
		trace_put(t, "len=%u", len);
		if (in->len != len)
			trace_put(t, " (claims %u)", in->len);
		break;
	case FLUKE_SVC_CONSOLE * TRACE_OPS + FLUKE_CONSOLE_READ:
		trace_put(t, "max=%u", a[0]);
		break;
	case FLUKE_SVC_MEMPOOL * TRACE_OPS + FLUKE_MEMPOOL_GET:
		trace_put(t, "bytes=%u", a[0]);
		break;
	case FLUKE_SVC_MEMPOOL * TRACE_OPS + FLUKE_MEMPOOL_PUT:
		trace_put(t, rpc->in_refs ? "region" : "no region");
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_OPEN:
		trace_quoted(t, in->data, len && !in->data[len - 1] ? len - 1 : len);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_READ:
		trace_put(t, "handle=%u, offset=%u, max=%u", a[0], a[1], a[2]);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_STAT:
		trace_put(t, "handle=%u", a[0]);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_LIST:
		trace_put(t, "index=%u", a[0]);
		break;
	case FLUKE_SVC_BLOCK * TRACE_OPS + FLUKE_BLOCK_READ:
	case FLUKE_SVC_BLOCK * TRACE_OPS + FLUKE_BLOCK_WRITE:
		trace_put(t, "sector=%u, count=%u", a[0], a[1]);
		break;
	}	/* the others take no arguments */
	trace_put(t, ")");
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)t, (void)service, (void)rpc;
	/* LAB 1: END */
}

void trace_reply(struct trace_text *t, uint32_t service, const struct fluke_rpc *rpc)
{
	/* LAB 1: BEGIN SOLUTION */
	static const char *const status[] = {
		[FLUKE_SUCCESS] = "ok", [FLUKE_INVALID_SYSCALL] = "INVALID_SYSCALL",
		[FLUKE_BAD_ADDRESS] = "BAD_ADDRESS", [FLUKE_INVALID_ARGUMENT] = "INVALID_ARGUMENT",
		[FLUKE_NOT_PERMITTED] = "NOT_PERMITTED", [FLUKE_NO_MEMORY] = "NO_MEMORY",
		[FLUKE_WOULD_BLOCK] = "WOULD_BLOCK", [FLUKE_INTERRUPTED] = "INTERRUPTED",
		[FLUKE_NOT_FOUND] = "NOT_FOUND",
	};
	const struct fluke_rpc_msg *out = &rpc->out;
	uint32_t len = out->len < FLUKE_RPC_DATA ? out->len : FLUKE_RPC_DATA;
	if (out->op < sizeof(status) / sizeof(status[0]))
		trace_put(t, "%s", status[out->op]);
	else
		trace_put(t, "error %u", out->op);
	if (out->op != FLUKE_SUCCESS || !trace_op_name(service, rpc->in.op))
		return;
	switch (service * TRACE_OPS + rpc->in.op) {
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_SPAWN:
		trace_put(t, ", pid=%u", out->arg[0]);
		break;
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_WAIT:
		trace_put(t, ", status=%d", (int)out->arg[0]);
		break;
	case FLUKE_SVC_CONSOLE * TRACE_OPS + FLUKE_CONSOLE_READ:
		trace_put(t, ", ");
		trace_quoted(t, out->data, len);
		break;
	case FLUKE_SVC_MEMPOOL * TRACE_OPS + FLUKE_MEMPOOL_GET:
		trace_put(t, rpc->out_refs ? ", region" : ", no region");
		break;
	case FLUKE_SVC_MEMPOOL * TRACE_OPS + FLUKE_MEMPOOL_STAT:
		trace_put(t, ", granted=%u, free=%u", out->arg[0], out->arg[1]);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_OPEN:
		trace_put(t, ", handle=%u", out->arg[0]);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_READ:
	case FLUKE_SVC_BLOCK * TRACE_OPS + FLUKE_BLOCK_READ:
		trace_put(t, ", %u bytes", len);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_STAT:
		trace_put(t, ", size=%u", out->arg[0]);
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_LIST:
		trace_put(t, ", ");
		trace_quoted(t, out->data, len);
		trace_put(t, ", size=%u", out->arg[0]);
		break;
	case FLUKE_SVC_BLOCK * TRACE_OPS + FLUKE_BLOCK_SIZE:
		trace_put(t, ", sectors=%u", out->arg[0]);
		break;
	}	/* the others bring nothing, or a reference (Parent GET, CLIENT) */
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)t, (void)service, (void)rpc;
	/* LAB 1: END */
}

const char *trace_malformed(uint32_t service, const struct fluke_rpc *rpc)
{
	/* LAB 1: BEGIN SOLUTION */
	const struct fluke_rpc_msg *in = &rpc->in;
	uint32_t len = fluke_rpc_in_len(rpc), nuls = 0;
	if (!trace_op_name(service, in->op))
		return "no such op";
	if (in->len > len)
		return "its len claims more data than came";
	switch (service * TRACE_OPS + in->op) {
	case FLUKE_SVC_PARENT * TRACE_OPS + FLUKE_PARENT_SPAWN:
		for (uint32_t i = 0; i < len; i++)
			nuls += !in->data[i];
		if (in->arg[0] < 1 || in->arg[0] > FLUKE_PARENT_MAX_ARGS || nuls != in->arg[0] ||
		    in->data[len - 1])
			return "its data is not argc NUL-terminated words";
		break;
	case FLUKE_SVC_MEMPOOL * TRACE_OPS + FLUKE_MEMPOOL_PUT:
		if (!rpc->in_refs)
			return "it brings no region";
		break;
	case FLUKE_SVC_FS * TRACE_OPS + FLUKE_FS_OPEN:
		if (len == 0 || len > FLUKE_FS_NAME_MAX || in->data[len - 1])
			return "its data is not a NUL-terminated name";
		break;
	case FLUKE_SVC_BLOCK * TRACE_OPS + FLUKE_BLOCK_WRITE:
		if (in->arg[1] > FLUKE_BLOCK_MAX || len != in->arg[1] * FLUKE_BLOCK_SECTOR)
			return "its data is not count sectors";
		break;
	}
	return 0;
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)service, (void)rpc;
	//| return 0;
	/* LAB 1: END */
}
