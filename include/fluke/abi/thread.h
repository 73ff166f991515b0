/*
 * Threads as objects. A new thread has null links and cannot run: give it a space
 * and registers with fluke_thread_set_state, with FLUKE_THREAD_STOPPED clear.
 * fluke_thread_get_state stops the thread and keeps it stopped until a set_state
 * clears FLUKE_THREAD_STOPPED; it cannot be applied to the calling thread.
 * A thread blocked in a call is stopped with its registers describing that call
 * (EIP at its int $0x40, the arguments in place), so the state a get_state
 * returns always resumes correctly with set_state — in this space or another.
 */
#ifndef FLUKE_ABI_THREAD_H
#define FLUKE_ABI_THREAD_H

#include <fluke/abi/types.h>

#define FLUKE_THREAD_STOPPED	0x1	/* flags: the thread does not run */
#define FLUKE_THREAD_EXCEPTIONS	0x2	/* flags: exceptions go to its trap handler */
#define FLUKE_THREAD_INTERRUPTED 0x4	/* flags: a thread_interrupt is pending */
/* The direction of the thread's client-side reliable connection (with a client
 * link): the server end sends (the client did OVER), and that end has not yet
 * taken the role with ACK. */
#define FLUKE_THREAD_CLIENT_RECEIVES 0x8
#define FLUKE_THREAD_CLIENT_UNACKED  0x10
#define FLUKE_THREAD_FLAGS	0x1f

/* set_state may not give a thread a priority above the caller's own. */
#define FLUKE_PRIO_MIN		1	/* 0 is the kernel's idle thread */
#define FLUKE_PRIO_MAX		31
#define FLUKE_PRIO_DEFAULT	16

/* What entering the trap handler replaced (fluke_thread_get_saved_state). */
typedef struct fluke_thread_saved {
	uint32_t eax, ecx, edx, eip, eflags;
} fluke_thread_saved_t;

/* The user-mode register state. eflags: only the arithmetic flags, DF and TF can
 * be set; interrupts stay enabled and IOPL stays 0. */
typedef struct fluke_thread_state {
	uint32_t hash;
	uint32_t flags;		/* FLUKE_THREAD_* */
	uint32_t priority;	/* FLUKE_PRIO_MIN .. FLUKE_PRIO_MAX */
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eip, eflags;
	uint32_t trap_handler, interrupt_handler;	/* 0: none */
	fluke_thread_saved_t saved;
} fluke_thread_state_t;

/*
 * Exceptions. A synchronous exception (a fault, int3, single-step, an Insanity
 * of a system call) of a thread whose FLUKE_THREAD_EXCEPTIONS flag is set and
 * that has a trap handler enters the handler: the kernel saves eax, ecx, edx, eip
 * and eflags (fluke_thread_saved_t), clears the flag and TF, and jumps to the
 * handler on the same stack with
 *   eax = the exception (FLUKE_EXC_*: the x86 vector, or FLUKE_EXC_INSANITY),
 *   ecx = its code (the x86 error code, or the FLUKE_INSANITY_* code),
 *   edx = the faulting address of a page fault (else 0).
 * fluke_thread_return_from_exception restores the saved registers and sets the
 * flag again. Otherwise the exception is unhandled: the kernel reports it and the
 * thread dies (the first task's death ends the run).
 */
#define FLUKE_EXC_DIVIDE	0
#define FLUKE_EXC_DEBUG		1	/* single-step (TF) */
#define FLUKE_EXC_BREAKPOINT	3	/* int3 */
#define FLUKE_EXC_INVALID_OP	6
#define FLUKE_EXC_GENERAL	13	/* general protection */
#define FLUKE_EXC_PAGE_FAULT	14
#define FLUKE_EXC_INSANITY	256
#define FLUKE_EXC_INTERRUPT	257	/* to the interrupt handler, see below */
#define FLUKE_EXC_CPU		258	/* the space's CPU budget is spent (<fluke/abi/vm.h>):
					 * always to the space's keeper, never the thread's handler */

/* fluke_thread_set_handlers(trap, interrupt): an entry point, 0 for none, or this
 * (a kernel address, never an entry point) to leave that handler as it is. */
#define FLUKE_HANDLER_KEEP	0xffffffffu

/*
 * Interrupts. fluke_thread_interrupt (or an IPC alert) marks an interrupt pending
 * and ends the thread's wait. A thread whose FLUKE_THREAD_EXCEPTIONS flag is set
 * and that has an interrupt handler takes it there, the next time it would return
 * to user mode, entered as for an exception with eax = FLUKE_EXC_INTERRUPT (ecx and
 * edx 0). A call it waited in is then in restart form: once the handler returns it
 * runs again and waits again unless what it waited for has come; a handler that
 * wants the call abandoned changes the saved registers (eip past the int $0x40,
 * eax the result). Otherwise the interrupt stays pending, and the thread's next
 * call that can be cut short (IPC waits, console read) returns FLUKE_INTERRUPTED.
 */

/* Link slots of a thread, in get_state/set_state order. */
enum {
	FLUKE_THREAD_LINK_SPACE,	/* the space it runs in (null: cannot run) */
	FLUKE_THREAD_LINK_SCHEDULER,	/* scheduler port: kept, not yet used */
	FLUKE_THREAD_LINK_WAITING_FOR,	/* the object it waits on (get_state only) */
	FLUKE_THREAD_LINK_CLIENT,	/* the server thread of its client-side connection */
	FLUKE_THREAD_LINK_SERVER,	/* the client thread of its server-side connection */
	FLUKE_THREAD_LINKS
};

#endif
