/*
 * The process manager: processes as a monitor's service (the Fluke idea). It
 * starts the next level of its boot configuration (its arguments:
 * [mode=N] [stack=...] prog=NAME args...; N, from stack=pm:N, is the most
 * processes it holds at once, PM_LIMIT by default) as its first process, and
 * every process may start more (Parent SPAWN, the library's), each a child of
 * this monitor in a space of its memory. Beside the Parent protocol it serves
 * the Process protocol (<fluke/process.h>: pids, groups, waitpid, kill,
 * signals, descriptors, pipes, exec) and each process's Console through its
 * descriptors: a Console WRITE is a write to descriptor 1, a READ a read of
 * descriptor 0, so a program that only knows printf and getchar works in a
 * pipeline. MemPool, FileSystem and Block requests are forwarded to the
 * process's own client at the manager's parent, as nest forwards them, so the
 * root still takes back all a process got when it ends.
 * A second pm inside gives its subtree a process namespace of its own: it is
 * one process here, and its processes' console traffic is its own.
 * When the first process ends, the manager ends with its status (128 + N for
 * signal N) and writes METRIC pm processes=N signalled=N (processes it ended
 * for a signal).
 */
#include "pm.h"
#include <fluke/bootconf.h>
#include <fluke/console.h>
#include <fluke/fs.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fluke_monitor pm;
struct pm_proc *procs;
uint32_t pm_fg;
static uint32_t started, signalled;

/* A Console WRITE (descriptor 1) or READ (descriptor 0) of slot, sent again
 * with its id (asked.c) or not. */
static void console(uint32_t slot, struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	static char buf[FLUKE_RPC_DATA];
	int kind = rpc->in.op == FLUKE_CONSOLE_WRITE ? PM_ASK_WRITE : PM_ASK_READ;
	uint32_t ticket, got;
	int err = pm_asked_begin(slot, kind, rpc, &ticket, &got);
	if (err == PM_KEPT)
		return;
	if (!err && kind == PM_ASK_WRITE)
		err = pm_write(slot, 1, rpc, up, &got);
	else if (!err)
		err = pm_read(slot, 0, buf, rpc->in.arg[0] < FLUKE_RPC_DATA ? rpc->in.arg[0]
					    : FLUKE_RPC_DATA, &got);
	fluke_rpc_begin(rpc, err == PM_WOULD_BLOCK ? FLUKE_WOULD_BLOCK
			     : err ? FLUKE_INVALID_ARGUMENT : FLUKE_SUCCESS);
	if (!err && kind == PM_ASK_READ)
		fluke_rpc_put(rpc, buf, got);	/* none: the end of the input */
	pm_asked_end(slot, kind, ticket, rpc, err != PM_WOULD_BLOCK && err != EINTR,
		     kind == PM_ASK_WRITE ? got : 0);
}

/* Console through descriptors 0 and 1; Process here; the rest forwarded. */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	uint32_t slot = m->clients[client].slot;
	if (service == FLUKE_SVC_PROCESS)
		pm_process(slot, rpc, up);
	else if (service == FLUKE_SVC_CONSOLE && (rpc->in.op == FLUKE_CONSOLE_WRITE ||
						  rpc->in.op == FLUKE_CONSOLE_READ))
		console(slot, rpc, up);
	else
		fluke_monitor_forward(m, client, service, rpc, up);
}

static void parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc)
{
	if (rpc->in.op == FLUKE_PARENT_SPAWN && rpc->out.op == FLUKE_SUCCESS)
		started++;
	pm_parent(m, slot, rpc);
}

static void ended(struct fluke_monitor *m, uint32_t slot, int status, int faulted)
{
	signalled += procs[slot].termsig != 0;
	pm_ended(m, slot, status, faulted);
}

static struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.parent = parent,
	.ended = ended, .exception = pm_exception,
	.threads = FLUKE_MON_THREADS,	/* the same memory however requests come */
};

/* The process limit of mode=N; 0 if it is no number in [2, PM_LIMIT_MAX]. */
static uint32_t limit_of(const char *mode)
{
	/* LAB 3: BEGIN SOLUTION */
	uint32_t n = 0;
	for (const char *p = mode; *p; p++) {
		if (*p < '0' || *p > '9' || n > PM_LIMIT_MAX)
			return 0;
		n = n * 10 + (*p - '0');
	}
	return n >= 2 && n <= PM_LIMIT_MAX ? n : 0;
	/* LAB 3: SKELETON */
	//| /* LAB 3: your code here */
	//| (void)mode;
	//| return PM_LIMIT;
	/* LAB 3: END */
}

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid, limit = PM_LIMIT;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("pm: no prog= in my arguments\n");
		return 1;
	}
	if (conf.mode && !(limit = limit_of(conf.mode))) {
		printf("pm: bad mode '%s'; the mode is the process limit, a number from 2 to %u "
		       "(e.g. stack=pm:%u)\n", conf.mode, PM_LIMIT_MAX, PM_LIMIT);
		return 1;
	}
	ops.children = limit;
	ops.clients = 4 * limit;	/* room for the clients of a monitor's children */
	procs = calloc(limit, sizeof(*procs));
	if (!procs || fluke_monitor_start(&pm, "pm", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	started = 1;
	pm_proc_init(fluke_monitor_child(&pm, pid) - pm.children, 0, -1);
	pm_tty_start();
	int status = fluke_monitor_run(&pm, pid);
	test_record("METRIC", "pm processes=%u signalled=%u", started, signalled);
	return status;
}
