/*
 * Page faults to region keepers and exceptions to space keepers, as idempotent
 * requests the kernel makes for the faulting thread (include/fluke/abi/keeper.h).
 * A page fault is a user access, or a system call's access to the caller's memory
 * (the call then runs again from its registers once the keeper has answered).
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
#include "vm/translate.h"
#include "vm/uaccess.h"
#include "arch/trap.h"
#include "lib/printf.h"
#include <fluke/abi/keeper.h>
#include <fluke/abi/vm.h>

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

/* Ask the keeper of the region where translation f stopped, for the current
 * thread: 0 once it has answered that it handled the fault (or the thread should
 * simply retry), -1 if there is none or it failed. */
static int ask_region_keeper(struct trapframe *tf, const struct vm_fault *f, uint32_t code)
{
	struct port *p = f->region ? keeper_port(&f->region->keeper) : NULL;
	if (p && would_deadlock(p)) {
		kprintf("keeper: %s faulted at 0x%08x in region %08x, which it keeps itself; "
			"nobody else waits to serve the fault\n", current->name, f->va,
			f->region->ob.hash);
		return -1;
	}
	if (!p)
		return -1;
	fluke_keeper_msg_t m = {
		.kind = FLUKE_KEEPER_PAGE_FAULT, .addr = f->va, .access = f->access,
		.offset = f->offset, .why = f->why, .exc = T_PGFLT, .code = code,
		.eip = tf->eip,
	};
	return call(p, &m, &f->region->ob);
}

void keeper_page_fault(struct trapframe *tf)
{
	if (ask_region_keeper(tf, &current->fault, tf->err) < 0)
		thread_exception(tf);
}

int keeper_defer_fault(struct thread *t)
{
	uint32_t va, access;
	if (!uaccess_keepable(t->space, &va, &access) || t->kfault.refused)
		return 0;
	t->kfault.va = va;
	t->kfault.access = access;
	t->kfault.pending = 1;
	return 1;
}

void keeper_pending_fault(struct trapframe *tf)
{
	struct thread *t = current;
	paddr_t pa;
	uint32_t prot;
	t->kfault.pending = 0;
	if (vm_translate(t->space, t->kfault.va, t->kfault.access, &pa, &prot, &t->fault) == 0)
		return;		/* resolved meanwhile: the call simply runs again */
	/* The x86 error code a user access would have had: user mode, and write or
	 * protection violation as the access and the stop say. */
	uint32_t code = 4 | (t->kfault.access & FLUKE_PROT_WRITE ? 2 : 0) |
			(t->fault.why == VM_STOP_PROT ? 1 : 0);
	if (ask_region_keeper(tf, &t->fault, code) < 0)
		t->kfault.refused = 1;
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
