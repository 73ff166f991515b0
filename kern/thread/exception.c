/*
 * Synchronous exceptions of user threads: faults, int3, single-step and the
 * Insanity of a misused system call. Where one goes:
 *  1. the thread's own trap handler, if its exceptions are enabled;
 *  2. else its space's keeper port, as an idempotent request (kern/ipc/keeper.c);
 *  3. else (or if the keeper says it cannot) nowhere: the kernel reports it and
 *     the thread dies, and if it was the first task's thread the run ends.
 * Entering the handler keeps no kernel state: the replaced registers are in the
 * thread's saved state, which get_state exports.
 */
#include "thread/thread.h"
#include "arch/trap.h"
#include "arch/mmu.h"
#include "syscall/insanity.h"
#include "init/roottask.h"
#include "ipc/keeper.h"
#include "lib/printf.h"
#include "vm/space.h"

_Static_assert(T_INSANITY == FLUKE_EXC_INSANITY, "one exception number for insanity");

/* Enter handler with eax = exc, ecx = code, edx = addr; the replaced registers go
 * to the thread's saved state, and exceptions are off until it returns. */
static void enter_handler(struct thread *t, struct trapframe *tf, uint32_t handler,
			  uint32_t exc, uint32_t code, uint32_t addr)
{
	t->saved.eax = tf->eax;
	t->saved.ecx = tf->ecx;
	t->saved.edx = tf->edx;
	t->saved.eip = tf->eip;
	t->saved.eflags = tf->eflags;
	tf->eax = exc;
	tf->ecx = code;
	tf->edx = addr;
	tf->eip = handler;
	tf->eflags &= ~FL_TF;
	t->exc_enabled = 0;
}

static void report(struct thread *t, struct trapframe *tf)
{
	if (tf->trapno == T_INSANITY)
		kprintf("%s: unhandled Insanity (%s) in user mode at eip 0x%08x\n", t->name,
			insanity_name(tf->err), tf->eip);
	else
		kprintf("%s: unhandled %s in user mode at eip 0x%08x\n", t->name,
			trap_name(tf->trapno), tf->eip);
	if (tf->trapno == T_PGFLT)
		vm_fault_report(t->name, &t->fault);
	trap_print_frame(tf);
}

void thread_exception(struct trapframe *tf)
{
	struct thread *t = current;
	if (t->exc_enabled && t->trap_handler) {
		enter_handler(t, tf, t->trap_handler, tf->trapno, tf->err,
			      tf->trapno == T_PGFLT ? t->fault.va : 0);
		return;
	}
	if (keeper_exception(tf) == 0)
		return;
	report(t, tf);
	roottask_thread_failed(t);
	thread_kill(t);
}

void thread_cpu_spent(struct trapframe *tf)
{
	tf->trapno = T_CPU;
	tf->err = 0;
	if (keeper_exception(tf) == 0)
		return;
	kprintf("%s: CPU budget of %llu counts spent (ran %llu) at eip 0x%08x\n",
		current->name, current->space->cpu_limit, current->space->cpu_used, tf->eip);
	roottask_thread_failed(current);
	thread_kill(current);
}

int thread_takes_interrupts(const struct thread *t)
{
	return t->exc_enabled && t->interrupt_handler;
}

void thread_deliver_interrupt(struct trapframe *tf)
{
	struct thread *t = current;
	if (!t->interrupted || !thread_takes_interrupts(t))
		return;
	t->interrupted = 0;
	enter_handler(t, tf, t->interrupt_handler, FLUKE_EXC_INTERRUPT, 0, 0);
}

uint32_t thread_return_from_exception(struct thread *t)
{
	struct trapframe *tf = t->tf;
	tf->ecx = t->saved.ecx;
	tf->edx = t->saved.edx;
	tf->eip = t->saved.eip;
	tf->eflags = (t->saved.eflags & FLUKE_USER_EFLAGS) | FL_IF;
	t->exc_enabled = 1;
	return t->saved.eax;
}
