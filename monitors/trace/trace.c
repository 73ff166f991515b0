/*
 * The tracer: a monitor that interposes on its child's communication and on
 * nothing else. It starts the next level of its boot configuration (its
 * arguments: [mode=WORD+WORD...] [stack=...] prog=NAME args...) as nest does,
 * gives that child its own port for every Common Protocol, and forwards each
 * Console, MemPool, FileSystem and Block request, unchanged (data, reference,
 * request id), to the same service of the child's own client at its parent,
 * and the answer back; the Parent protocol the monitor library serves, and its
 * hooks tell the tracer of each Parent request and of each child's end. Faults
 * pass through the library too: it reports the exception and ends the child.
 *
 * It writes each request and its answer as one trace line, on its own Console
 * (where its child's output goes too), after the answer:
 *   trace: hello Console.write(len=34) -> ok
 * naming the child the request came from (through any of that child's clients'
 * ports: a monitor's requests for its own children carry the monitor's name).
 * A malformed request (trace_malformed) is answered FLUKE_INVALID_ARGUMENT here,
 * not forwarded, and its line says why; the tracer serves on.
 *
 * mode= (trace:MODE in a stack) is words joined with +: protocol names
 * (parent, console, mempool, fs, block) log only those protocols; summary
 * writes the counts when the first child ends. Every request is counted.
 * Everything the tracer writes is a whole line that starts with "trace: ", each
 * one Console WRITE: the program's output is the console without those lines
 * (handouts/lab1.md). As it ends it writes METRIC trace requests=N errors=N
 * malformed=N exited=N faulted=N and exits with its first child's status.
 */
#include "trace.h"
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/console.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct fluke_monitor mon;
/* The protocols' names in mode=, by service. */
static const char *const words[FLUKE_SERVICES] = {
	[FLUKE_SVC_PARENT] = "parent", [FLUKE_SVC_CONSOLE] = "console",
	[FLUKE_SVC_MEMPOOL] = "mempool", [FLUKE_SVC_FS] = "fs", [FLUKE_SVC_BLOCK] = "block",
	[FLUKE_SVC_PROCESS] = "process",
};
static uint32_t logged = ~0u;		/* bit s: protocol s is logged */
static int summary;
/* Under the monitor's lock: requests by protocol and op (op 0: the ops the
 * protocol does not have); those answered with an error, and of them the
 * malformed ones; children that exited, and that were ended for an exception. */
static uint32_t counts[FLUKE_SERVICES][TRACE_OPS], errors, malformed, exited, faulted;

/* Trace lines held while the console may be in the middle of a line (the last
 * write through the tracer did not end with a newline, or such a write is on
 * its way), so that a trace line never splits one of the program's; written
 * when a write ends the line, or when the tracer ends. More than fit are
 * written at once. */
static char held[2048];
static uint32_t held_len;
static int midline;		/* the last write answered did not end the line */
static uint32_t unended;	/* writes being forwarded that do not end with a newline */

static void write_held(void)
{
	fluke_console_put(held, held_len);
	held_len = 0;
}

/* Write "trace: WHO TEXT" as one Console WRITE, or hold it while the console
 * is mid-line (m->lock held: the program's client exchange). */
static void say(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const char *who, const char *fmt, ...)
{
	struct trace_text t = { .len = 0 };
	trace_put(&t, "trace: %s ", who);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t.buf + t.len, sizeof(t.buf) - 1 - t.len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t.len += (uint32_t)n < sizeof(t.buf) - 1 - t.len ? (uint32_t)n
								 : sizeof(t.buf) - 2 - t.len;
	t.buf[t.len++] = '\n';
	t.buf[t.len] = '\0';
	if ((midline || unended) && held_len + t.len <= sizeof(held)) {
		memcpy(held + held_len, t.buf, t.len);
		held_len += t.len;
	} else {
		fluke_console_put(t.buf, t.len);
	}
}

/* Whether rpc->in is a Console WRITE whose data does not end with a newline. */
static int unended_write(const struct fluke_rpc *rpc)
{
	uint32_t len = fluke_rpc_in_len(rpc);
	return rpc->in.op == FLUKE_CONSOLE_WRITE && len && rpc->in.data[len - 1] != '\n';
}

/* The Console request rpc->in, counted in unended while it was forwarded, has
 * been answered: a WRITE that was written says whether the line is done. */
static void console_answered(const struct fluke_rpc *rpc)
{
	unended -= unended_write(rpc);
	if (rpc->in.op == FLUKE_CONSOLE_WRITE && rpc->out.op == FLUKE_SUCCESS &&
	    fluke_rpc_in_len(rpc))
		midline = unended_write(rpc);
	if (!midline && !unended && held_len)
		write_held();
}

/* Count child slot's request rpc->in of service, answered in rpc->out (why:
 * it was malformed; NULL: it was not), and unless its protocol is not logged
 * write its line. */
static void report(struct fluke_monitor *m, uint32_t slot, uint32_t service,
		   const struct fluke_rpc *rpc, const char *why)
{
	/* LAB 1: BEGIN SOLUTION */
	struct trace_text t = { .len = 0 };
	counts[service][trace_op_name(service, rpc->in.op) ? rpc->in.op : 0]++;
	errors += rpc->out.op != FLUKE_SUCCESS;
	malformed += why != 0;
	if (!(logged & 1u << service))
		return;
	trace_request(&t, service, rpc);
	trace_put(&t, " -> ");
	trace_reply(&t, service, rpc);
	if (why)
		trace_put(&t, " (malformed: %s)", why);
	say(m->children[slot].name, "%s", t.buf);
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)m, (void)slot, (void)service, (void)rpc, (void)why;
	/* LAB 1: END */
}

/* Answer a Console, MemPool, FileSystem or Block request of client: refuse it
 * if malformed, else forward it (without the monitor's lock: the parent may
 * keep it waiting, and the other threads serve on); then report it. */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	uint32_t slot = m->clients[client].slot;
	const char *why = trace_malformed(service, rpc);
	if (why) {
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
	} else {
		if (service == FLUKE_SVC_CONSOLE)
			unended += unended_write(rpc);
		fluke_monitor_forward(m, client, service, rpc, up);
		if (service == FLUKE_SVC_CONSOLE)
			console_answered(rpc);
	}
	report(m, slot, service, rpc, why);
}

/* Every client gets the tracer's own port for every service. */
/* Child slot's Parent request rpc->in has been answered in rpc->out; after an
 * EXIT that ended it, the child's end is part of the story. */
static void parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc)
{
	/* LAB 1: BEGIN SOLUTION */
	struct fluke_child *c = &m->children[slot];
	report(m, slot, FLUKE_SVC_PARENT, rpc, trace_malformed(FLUKE_SVC_PARENT, rpc));
	if (rpc->in.op == FLUKE_PARENT_EXIT && c->state != MON_RUNNING)
		say(c->name, "exited with status %d", c->status);
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)m, (void)slot, (void)rpc;
	/* LAB 1: END */
}

/* Child slot has ended (the library calls this inside the EXIT's handling,
 * before parent, or after reporting an exception it did not handle). */
static void ended(struct fluke_monitor *m, uint32_t slot, int status, int fault)
{
	/* LAB 1: BEGIN SOLUTION */
	if (fault) {
		faulted++;
		say(m->children[slot].name, "faulted: ended with status %d", status);
	} else {
		exited++;
	}
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)m, (void)slot, (void)status, (void)fault;
	/* LAB 1: END */
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.parent = parent, .ended = ended,
};

/* Take mode= (words joined with +); -1, having said why, if a word is unknown. */
static int parse_mode(const char *mode)
{
	uint32_t only = 0;
	for (const char *w = mode; *w; w += *w == '+') {
		size_t n = 0;
		while (w[n] && w[n] != '+')
			n++;
		uint32_t s = 0;
		while (s < FLUKE_SERVICES &&
		       !(words[s] && strlen(words[s]) == n && !strncmp(w, words[s], n)))
			s++;
		if (s < FLUKE_SERVICES) {
			only |= 1u << s;
		} else if (n == 7 && !strncmp(w, "summary", n)) {
			summary = 1;
		} else {
			printf("trace: unknown mode word '%.*s' in mode=%s; the words are parent, "
			       "console, mempool, fs, block, process (log only those) and summary (the counts "
			       "at the end), joined with +\n", (int)n, w, mode);
			return -1;
		}
		w += n;
	}
	if (only)
		logged = only;
	return 0;
}

/* The requests counted. */
static uint32_t requests(void)
{
	uint32_t n = 0;
	for (uint32_t s = 0; s < FLUKE_SERVICES; s++)
		for (uint32_t op = 0; op < TRACE_OPS; op++)
			n += counts[s][op];
	return n;
}

/* The counts, as key=value lines: the totals, then each op that was asked. */
static void write_summary(void)
{
	say("summary:", "requests=%u errors=%u malformed=%u exited=%u faulted=%u", requests(),
	    errors, malformed, exited, faulted);
	for (uint32_t s = 0; s < FLUKE_SERVICES; s++)
		for (uint32_t op = 0; op < TRACE_OPS; op++)
			if (counts[s][op])
				say("summary:", "%s.%s=%u", trace_service_name(s),
				    op ? trace_op_name(s, op) : "other", counts[s][op]);
}

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("trace: no prog= in my arguments\n");
		return 1;
	}
	if (conf.mode && parse_mode(conf.mode) < 0)
		return 1;
	if (fluke_monitor_start(&mon, "trace", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	int status = fluke_monitor_run(&mon, pid);
	midline = 0;	/* no child is left to end the line */
	if (held_len)
		write_held();
	if (summary)
		write_summary();
	test_record("METRIC", "trace requests=%u errors=%u malformed=%u exited=%u faulted=%u",
		    requests(), errors, malformed, exited, faulted);
	return status;
}
