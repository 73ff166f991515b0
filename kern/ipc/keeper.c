/*
 * Page faults to region keepers and exceptions to space keepers, as idempotent
 * requests the kernel makes for the faulting thread (user/include/fluke/keeper.h).
 * The thread waits here, in the kernel, for the reply; but that wait is only an
 * optimisation of its restart form, which is its own registers: if it is stopped,
 * or woken without a reply, it goes back to user mode and faults again.
 */
#include "ipc/keeper.h"
#include "ipc/ipc.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "vm/region.h"
#include "vm/space.h"
#include "arch/trap.h"
#include "lib/printf.h"
#include <fluke/keeper.h>
#include <fluke/vm.h>

/* Send m to p for the current thread and wait: 0 if the keeper handled it (or the
 * thread should simply retry), -1 if nobody can answer or the keeper said no. */
static int call(struct port *p, const fluke_keeper_msg_t *m, struct object *about)
{
	struct object *refs[FLUKE_KEEPER_REFS] = { current->obj, about };
	current->keeper_result = 0;
	if (ipc_kernel_call(p, m, sizeof(*m), refs, FLUKE_KEEPER_REFS) < 0) {
		current->keeper_call = 0;
		return -1;
	}
	sched_check_current();		/* until a reply, a server, a stop or a kill */
	int failed = current->keeper_call && current->keeper_result;
	current->keeper_call = 0;
	return failed ? -1 : 0;
}

/* A thread that serves p's set itself, with no other server waiting, would wait
 * forever for its own answer. */
static int would_deadlock(struct port *p)
{
	struct pset *ps = port_pset(p);
	return ps && current->serving.target == &ps->ob && !pset_first_server(ps);
}

static struct port *keeper_port(struct link *l)
{
	return l->target && l->target->type == FLUKE_TYPE_PORT ? (struct port *)l->target : NULL;
}

void keeper_page_fault(struct trapframe *tf)
{
	const struct vm_fault *f = &current->fault;
	struct port *p = f->region ? keeper_port(&f->region->keeper) : NULL;
	if (p && would_deadlock(p)) {
		kprintf("keeper: %s faulted at 0x%08x in region %08x, which it keeps itself; "
			"nobody else waits to serve the fault\n", current->name, f->va,
			f->region->ob.hash);
		p = NULL;
	}
	if (p) {
		fluke_keeper_msg_t m = {
			.kind = FLUKE_KEEPER_PAGE_FAULT, .addr = f->va, .access = f->access,
			.offset = f->offset, .why = f->why, .exc = T_PGFLT, .code = tf->err,
			.eip = tf->eip,
		};
		if (call(p, &m, &f->region->ob) == 0)
			return;
	}
	thread_exception(tf);
}

int keeper_exception(struct trapframe *tf)
{
	struct space *s = current->space;
	struct port *p = s ? keeper_port(&s->keeper) : NULL;
	if (!p)
		return -1;
	if (would_deadlock(p)) {
		kprintf("keeper: %s took an exception that its own space's keeper port would "
			"receive, and nobody else waits to serve it\n", current->name);
		return -1;
	}
	fluke_keeper_msg_t m = {
		.kind = FLUKE_KEEPER_EXCEPTION, .exc = tf->trapno, .code = tf->err,
		.addr = tf->trapno == T_PGFLT ? current->fault.va : 0, .eip = tf->eip,
	};
	return call(p, &m, &s->ob);
}
