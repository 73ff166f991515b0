/*
 * The way back to user mode, which every trap and every system call takes last,
 * with the frame tf of the current thread about to be popped. Inline: it is on
 * the path of every system call (kern/syscall/syscall.c) and every user trap
 * (kern/arch/trap.c).
 */
#ifndef KERN_THREAD_USER_RETURN_H
#define KERN_THREAD_USER_RETURN_H

#include "arch/trap.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "ipc/keeper.h"
#include "vm/space.h"

/* Back to user mode only for a thread that may still run there. After every wait
 * (another thread may have run meanwhile), the current thread's space's CPU
 * budget is checked again: a spent one sends its thread to the keeper, which ends
 * it, as often as it comes back, so no thread of a spent space runs user code; a
 * thread whose call faulted in its memory asks the keeper first
 * (kern/syscall/syscall.c). Last, a pending interrupt enters the thread's
 * interrupt handler, if it takes them. */
static inline void user_return(struct trapframe *tf)
{
	sched_check_current();
	while (space_cpu_spent(current->space) || current->kfault.pending) {
		if (space_cpu_spent(current->space))
			thread_cpu_spent(tf);
		else
			keeper_pending_fault(tf);
		sched_check_current();
	}
	if (current->interrupted)
		thread_deliver_interrupt(tf);
}

#endif
