/*
 * Threads. Each has its own kernel stack (the "process model"): a thread blocked
 * in the kernel keeps its kernel context on that stack. The user register state
 * is the trapframe at the top of the stack.
 */
#ifndef KERN_THREAD_THREAD_H
#define KERN_THREAD_THREAD_H

#include <stdint.h>
#include <fluke/abi/thread.h>
#include "vm/translate.h"
#include "vm/uaccess.h"
#include "thread/waitq.h"
#include "object/link.h"

struct space;
struct trapframe;
struct waitq;
struct mutex;
struct object;

enum thread_state {
	THREAD_RUNNABLE,	/* on a run queue, or current */
	THREAD_BLOCKED,		/* on a wait queue, its call in restart form */
	THREAD_STOPPED,		/* on no queue until resumed (get_state, no space yet) */
	THREAD_DEAD,		/* will never run again; freed by the scheduler */
};

#define PRIO_MIN	0	/* the idle thread's alone; user threads start at FLUKE_PRIO_MIN */
#define PRIO_MAX	FLUKE_PRIO_MAX
#define PRIO_DEFAULT	FLUKE_PRIO_DEFAULT
#define THREAD_NAME_MAX	16

struct thread {
	struct thread *next;	/* run queue, wait queue or reap list link */
	uint32_t kstack;	/* base of its KSTACK_SIZE bytes (one page) */
	uint32_t kesp;		/* saved kernel stack pointer while not running */
	struct trapframe *tf;	/* user registers */
	struct space *space;
	enum thread_state state;
	struct waitq *wq;	/* the queue it is blocked on, while THREAD_BLOCKED */
	/* The object of that queue, kept while stopped (a link: destroying the object
	 * nulls it). A wake-up leaves it, so that the next wait on the same object
	 * need not relink: while RUNNABLE it means nothing, and thread_stop nulls
	 * it there. */
	struct link waiting_for;
	struct mutex *mutexes;	/* the mutexes it holds (kern/sync/mutex.h) */
	struct object *obj;	/* its user-visible object (thread_obj.c); NULL: none */
	int interrupted;	/* a thread_interrupt not yet consumed */
	/* Exceptions (kern/thread/exception.c). Invariant: exc_enabled is 0 while the
	 * trap handler runs, until thread_return_from_exception. */
	uint32_t trap_handler, interrupt_handler;	/* user entry points; 0: none */
	int exc_enabled;
	struct fluke_thread_saved saved;	/* registers the last handler entry replaced */
	struct vm_fault fault;	/* where the last unresolved page fault stopped */
	/* IPC (kern/ipc/ipc.h). Invariants: ipc_peer[IPC_CLIENT] == s iff
	 * s->ipc_peer[IPC_SERVER] == this thread (one connection per side), and
	 * ipc_idem_client == c iff c->ipc_idem_server == this thread. */
	struct thread *ipc_peer[2];	/* [IPC_CLIENT]: its server; [IPC_SERVER]: its client */
	int ipc_sender;		/* client-side connection: the end (IPC_CLIENT/SERVER) that sends */
	int ipc_acked;		/* ... and 0 while that end has not yet taken the role (ACK) */
	struct thread *ipc_idem_client;	/* server: the client of its pending idempotent request */
	struct thread *ipc_idem_server;	/* client: the server holding its idempotent request */
	struct waitq ipc_waiters;	/* threads waiting on it: its peers, idempotent clients */
	/* Keepers (kern/ipc/keeper.c). Invariant: keeper_call is set only while the
	 * thread waits for (or has just been woken from) a request the kernel made for
	 * it; its registers are then a faulting instruction or a call to run again,
	 * never a call in progress. */
	int keeper_call;
	int keeper_result;		/* the keeper's reply: 0 handled, 1 not */
	/* A system call's access to the thread's own memory failed at a region with
	 * a keeper. pending: ask that keeper before the call runs again; refused: it
	 * failed, so the call gets FLUKE_BAD_ADDRESS. Both only spare work (lost, the
	 * call faults again) and both end with the call. */
	struct {
		uint32_t va, access;
		int pending, refused;
	} kfault;
	struct link serving;		/* the port set it last waited on as a server */
	struct uaccess_kept params_kept;	/* the fast path's window onto its params
						 * (kern/ipc/fastpath.c) */
	struct thread *all_next;	/* the list of every thread */
	/* prio is what the scheduler uses: base_prio (its own, set_state's) raised to
	 * that of the highest thread waiting for a FLUKE_MUTEX_INHERIT_PRI mutex it
	 * holds (kern/sync/mutex.c). */
	int prio, base_prio;
	char name[THREAD_NAME_MAX];	/* the program's name, for reports */
};

extern struct thread *current;

/* A stopped user thread with no space, zero registers and user segments; NULL if
 * no memory. */
struct thread *thread_create_stopped(const char *name, int prio);
/* A kernel thread running fn() (the idle thread). */
struct thread *thread_create_kernel(const char *name, void (*fn)(void), int prio);
/* Make t dead, releasing its mutexes; if t is current, the caller must let the
 * scheduler run next. */
void thread_kill(struct thread *t);
void thread_free(struct thread *t);
/* The thread of a thread object (NULL for NULL). */
struct thread *thread_of(struct object *ob);
/* Take t (not current) off the CPU: it stays stopped until thread_resume. A thread
 * blocked in a call leaves its queue; its registers already restart the call. */
void thread_stop(struct thread *t);
/* Let the stopped t run again, if it has a space to run in. */
void thread_resume(struct thread *t);
/* Mark an interrupt pending for t and wake it if it waits: it runs its call again
 * (mutex and condition waits simply retry: a cond_wait returns, relocked, as on a
 * spurious wakeup); calls that can be cut short consume the pending interrupt. A
 * thread that takes interrupts has its handler consume it instead, on the way back
 * to user mode (thread_deliver_interrupt). */
void thread_interrupt(struct thread *t);
/* Whether current has an interrupt pending: 1 if so (a blocking call that would
 * wait returns FLUKE_INTERRUPTED instead); consumed unless a handler takes it. */
int thread_take_interrupt(void);
/* Every thread not yet freed (the idle thread and dead ones too), linked through
 * all_next: for the report of what blocked threads wait on (debug/blocked.c). */
struct thread *thread_all(void);
/* The space s is going away: its threads stop and lose it. */
void threads_leave_space(struct space *s);
/* eflags bits a user may set (set_state, return from exception): CF PF AF ZF SF TF
 * DF OF. IF is always on and IOPL 0. */
#define FLUKE_USER_EFLAGS 0x0dd5u

/* A synchronous exception (fault, trap, insanity) of the current thread in user
 * mode: to its trap handler, or reported and fatal (kern/thread/exception.c). */
void thread_exception(struct trapframe *tf);
/* The current thread's space has spent its CPU budget: FLUKE_EXC_CPU to the
 * space's keeper, never the thread's own handler; with no keeper (or one that
 * says no) the thread dies (the way back to user mode, arch/trap.c, asks again
 * while the budget stays spent). */
void thread_cpu_spent(struct trapframe *tf);
/* Whether t takes its interrupts in its interrupt handler: exceptions enabled and
 * a handler set. */
int thread_takes_interrupts(const struct thread *t);
/* On the way back to user mode: a pending interrupt of a thread that takes them
 * enters its interrupt handler (FLUKE_EXC_INTERRUPT), as an exception would. A call
 * it waited in is in restart form, so it runs again once the handler returns. (A
 * call that finds the interrupt pending before it waits, which only a thread whose
 * state was just set can, returns FLUKE_INTERRUPTED and the handler still runs.) */
void thread_deliver_interrupt(struct trapframe *tf);
/* Put back the registers the handler entry saved and enable exceptions again;
 * returns the saved eax (the system call's result register). */
uint32_t thread_return_from_exception(struct thread *t);

#endif
