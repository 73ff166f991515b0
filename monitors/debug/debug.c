/*
 * The debugger monitor: debug [stack=...] prog=NAME args... starts the next
 * level of its boot configuration as its one child, stopped at its first
 * instruction, and lets GDB drive it over COM2 with the Remote Serial Protocol
 * (handouts/lab4.md). The Fluke idea: a monitor is the keeper of its child's
 * exceptions and holds all of its memory and threads, so it can stop, inspect,
 * change and resume it with no kernel debugging interface at all.
 *   - COM2 comes down the stack with Parent IOPORTS (the root lends it).
 *   - The child's MemPool is served from the debugger's own pages
 *     (<fluke/grant.h>), so every object of the child (its threads) lies in
 *     memory the debugger can search; Console, FileSystem and Block requests
 *     are forwarded to the parent, as by nest.
 *   - An exception of the child is a stop for GDB (the exception hook) while a
 *     GDB is attached; after a detach (D) the program runs on, and an exception
 *     it does not handle ends it as under any monitor.
 * When the child ends the debugger reports it to GDB (W or X), writes
 * METRIC debug packets=N stops=N and exits with the child's status.
 * A MemPool GET or PUT the child sends again (a thread stopped in the call and
 * resumed, as GDB's stops do) gets the first's answer: the grant server knows
 * each grant's request id (<fluke/grant.h>). A page fault a pager below the debugger serves never becomes an
 * exception, so GDB never sees it; one it refuses comes here as a SIGSEGV.
 */
#include "debug.h"
#include <fluke/bootconf.h>
#include <fluke/fs.h>
#include <fluke/grant.h>
#include <fluke/start.h>
#include <fluke/ref.h>
#include <fluke/abi/io.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <fluke/syscalls.h>
#include <stdio.h>
#include <stdlib.h>

static struct fluke_monitor mon;
static uint32_t stops;
static char session_stack[16 * 1024] __attribute__((aligned(16)));

/* MemPool from our own pages; the rest forwarded without the lock. */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	if (service == FLUKE_SVC_MEMPOOL) {
		fluke_mempool_dispatch(&fluke_grant_server, rpc, rpc);
		return;
	}
	fluke_monitor_forward(m, client, service, rpc, up);
}

static void dropped(struct fluke_monitor *m, uint32_t client)
{
	(void)m;
	fluke_grant_reclaim(client);
}

/* The debugged child's exception, while a GDB is attached: a stop. */
static int exception(struct fluke_monitor *m, uint32_t slot, const fluke_keeper_msg_t *k,
		     struct fluke_rpc *rpc)
{
	(void)m;
	if (slot != tgt.slot || !tgt.attached || rpc->in_refs < 1)
		return 0;
	target_thread_init();			/* a watch reads the child's memory */
	int was = tgt.stop.pending;
	if (!target_exception(k, &rpc->in_ref))
		return 0;
	fluke_rpc_begin(rpc, FLUKE_SUCCESS);	/* finds nobody waiting: it is stopped */
	if (!was) {
		stops++;
		fluke_thread_interrupt(&gdb_thread);
	}
	return 1;
}

static void ended(struct fluke_monitor *m, uint32_t slot, int status, int faulted)
{
	(void)m, (void)faulted;
	if (slot != tgt.slot)
		return;
	tgt.ended = 1;
	if (tgt.attached && !tgt.stop.exited) {
		tgt.stop = (struct stop){ .pending = 1, .exited = 1, .status = status };
		tgt.running = 1;
		fluke_thread_interrupt(&gdb_thread);
	}
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.dropped = dropped, .exception = exception, .ended = ended,
};

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("debug: no prog= in my arguments\n");
		return 1;
	}
	int rc = fluke_parent_ioports(FLUKE_IO_COM2, 8);
	if (rc == FLUKE_SUCCESS)
		rc = uart_init();
	if (rc != FLUKE_SUCCESS) {
		printf("debug: cannot have COM2 (ports 0x%x-0x%x) for GDB (error %d)\n",
		       FLUKE_IO_COM2, FLUKE_IO_COM2 + 7, rc);
		return 1;
	}
	mon.child_flags = FLUKE_THREAD_STOPPED;	/* it waits at its first instruction */
	if (fluke_monitor_start(&mon, "debug", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	fluke_mutex_lock(&mon.lock);
	target_init(&mon, fluke_monitor_child(&mon, pid) - mon.children);
	target_stop_all();
	tgt.stop = (struct stop){ .signal = SIG_TRAP, .tid = 1 };
	printf("debug: %s stopped at its first instruction (eip 0x%08x); waiting for GDB "
	       "on COM2\n", mon.children[tgt.slot].name, tgt.threads[0].st.eip);
	fluke_mutex_unlock(&mon.lock);
	rc = fluke_thread_start(&gdb_thread, gdb_session, 0, session_stack, sizeof(session_stack),
				FLUKE_PRIO_DEFAULT);
	if (rc != FLUKE_SUCCESS) {
		printf("debug: cannot start the GDB session thread (error %d)\n", rc);
		return 1;
	}
	int status = fluke_monitor_run(&mon, pid);
	while (tgt.attached)		/* the session reports the end to GDB */
		fluke_cond_wait(&mon.changed, &mon.lock);
	test_record("METRIC", "debug packets=%u stops=%u", gdb_packets, stops);
	return status;
}
