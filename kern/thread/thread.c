#include "thread/thread.h"
#include "thread/sched.h"
#include "thread/waitq.h"
#include "sync/mutex.h"
#include "ipc/ipc.h"
#include "arch/trap.h"
#include "arch/mmu.h"
#include "mm/kmem.h"
#include "mm/pmem.h"
#include "vm/space.h"
#include <string.h>

struct thread *current;
static struct thread *all_threads;	/* every thread not yet freed, via all_next */

/* The switch-in path of a fresh user thread: context_switch returns to it. */
extern void trap_first_return(void);

static struct thread *thread_alloc(const char *name, int prio)
{
	struct thread *t = kmem_alloc(sizeof(*t));
	if (!t)
		return NULL;
	paddr_t stack = page_alloc();
	if (!stack) {
		kmem_free(t, sizeof(*t));
		return NULL;
	}
	t->kstack = (uint32_t)P2V(stack);
	t->prio = t->base_prio = prio;
	t->state = THREAD_RUNNABLE;
	strlcpy(t->name, name, sizeof(t->name));
	t->all_next = all_threads;
	all_threads = t;
	return t;
}

/* Lay out the stack so that context_switch "returns" to entry with regs zero. */
static void prepare_stack(struct thread *t, uint32_t *sp, uint32_t entry)
{
	*--sp = entry;				/* return address of context_switch */
	for (int i = 0; i < 4; i++)
		*--sp = 0;			/* ebp, ebx, esi, edi */
	t->kesp = (uint32_t)sp;
}

struct thread *thread_create_stopped(const char *name, int prio)
{
	struct thread *t = thread_alloc(name, prio);
	if (!t)
		return NULL;
	t->state = THREAD_STOPPED;
	t->tf = (struct trapframe *)(t->kstack + KSTACK_SIZE) - 1;
	memset(t->tf, 0, sizeof(*t->tf));
	t->tf->cs = SEG_UCODE;
	t->tf->ds = t->tf->es = t->tf->fs = t->tf->gs = t->tf->ss = SEG_UDATA;
	t->tf->eflags = FL_IF;
	prepare_stack(t, (uint32_t *)t->tf, (uint32_t)trap_first_return);
	return t;
}

struct thread *thread_create_kernel(const char *name, void (*fn)(void), int prio)
{
	struct thread *t = thread_alloc(name, prio);
	if (!t)
		return NULL;
	prepare_stack(t, (uint32_t *)(t->kstack + KSTACK_SIZE), (uint32_t)fn);
	return t;
}

/* Take t off whatever queue it is on; it is neither runnable nor blocked after. */
static void dequeue(struct thread *t)
{
	if (t->state == THREAD_RUNNABLE && t != current)
		sched_remove(t);
	if (t->state == THREAD_BLOCKED)
		waitq_remove(t);
}

void thread_stop(struct thread *t)
{
	if (t->state == THREAD_RUNNABLE)
		link_set(&t->waiting_for, NULL);	/* what it last waited on is over */
	dequeue(t);
	t->keeper_call = 0;	/* a kernel-made request is dropped: resumed, it faults again */
	if (t->state != THREAD_DEAD)
		t->state = THREAD_STOPPED;
}

void thread_resume(struct thread *t)
{
	if (t->state != THREAD_STOPPED || !t->space)
		return;
	link_set(&t->waiting_for, NULL);
	t->state = THREAD_RUNNABLE;
	if (t != current)
		sched_add(t);
	ipc_thread_resumed(t);
}

void thread_interrupt(struct thread *t)
{
	t->interrupted = 1;
	if (t->state == THREAD_BLOCKED)
		waitq_wake(t);
}

int thread_take_interrupt(void)
{
	int was = current->interrupted;
	if (!thread_takes_interrupts(current))
		current->interrupted = 0;	/* else its handler takes it on the way out */
	return was;
}

struct thread *thread_all(void)
{
	return all_threads;
}

void threads_leave_space(struct space *s)
{
	for (struct thread *t = all_threads; t; t = t->all_next)
		if (t->space == s) {
			thread_stop(t);
			t->space = NULL;
		}
}

void thread_kill(struct thread *t)
{
	dequeue(t);
	mutex_release_all(t);
	ipc_thread_exit(t);
	t->state = THREAD_DEAD;
	sched_reap(t);
}

void thread_free(struct thread *t)
{
	struct thread **pp = &all_threads;
	while (*pp != t)
		pp = &(*pp)->all_next;
	*pp = t->all_next;
	link_set(&t->waiting_for, NULL);
	link_set(&t->serving, NULL);
	page_free(V2P(t->kstack));
	kmem_free(t, sizeof(*t));
}
