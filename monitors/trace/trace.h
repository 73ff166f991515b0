/*
 * The tracer (monitors/trace), in two files: trace.c is the monitor (its
 * options, the forwarding of its children's requests, the monitor library's
 * hooks, the counts and the summary); log.c turns one request and its answer
 * into the text of a trace line, with the op's name from the protocol headers,
 * its decoded arguments, the status's name and what the reply brought, and
 * tells a malformed request from a well-formed one.
 *
 * Invariant: a struct trace_text's buf always holds a NUL-terminated string of
 * len bytes; text that does not fit is cut, never written past the end.
 */
#ifndef TRACE_H
#define TRACE_H

#include <fluke/rpc.h>

#define TRACE_LINE	200	/* bytes of a trace line, at most */
#define TRACE_OPS	16	/* op numbers a protocol may have: 1 .. TRACE_OPS - 1 */

struct trace_text {
	char buf[TRACE_LINE];
	uint32_t len;
};

/* Append printf-style text to t. */
void trace_put(struct trace_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append data[0, n) as a C string in double quotes, non-printable bytes
 * escaped, cut after 32 bytes with "...". */
void trace_quoted(struct trace_text *t, const char *data, uint32_t n);
/* The protocol's name ("Parent", "Console", "MemPool", "FileSystem", "Block"). */
const char *trace_service_name(uint32_t service);

/* The name of op in service's protocol ("write"), or NULL if it has none. */
const char *trace_op_name(uint32_t service, uint32_t op);
/* Append the request rpc->in of service: "Console.write(len=34)". */
void trace_request(struct trace_text *t, uint32_t service, const struct fluke_rpc *rpc);
/* Append the answer rpc->out to the request rpc->in: its status's name, and
 * on success what it brought ("ok", "NOT_FOUND", "ok, handle=3"). */
void trace_reply(struct trace_text *t, uint32_t service, const struct fluke_rpc *rpc);
/* Why the request rpc->in of service is malformed (no such op, data that is
 * not what the op carries), or NULL if it is well formed. */
const char *trace_malformed(uint32_t service, const struct fluke_rpc *rpc);

#endif
