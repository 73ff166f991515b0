#include "thread/sched.h"
#include "thread/thread.h"
#include "arch/seg.h"
#include "arch/x86.h"
#include "arch/mmu.h"
#include "arch/trap.h"
#include "dev/pic.h"
#include "vm/space.h"
#include "vm/ioport.h"
#include "debug/blocked.h"
#include "debug/panic.h"
#include <stddef.h>

void context_switch(uint32_t *save_esp, uint32_t new_esp);

static struct {
	struct thread *head, *tail;
} runq[PRIO_MAX + 1];
/* Bit p is set iff runq[p] is not empty: the best queue is the highest bit (bsr). */
static uint32_t ready;

/* The priorities above prio that have a runnable thread (2u << 31 is 0). */
static uint32_t ready_above(int prio)
{
	return ready & ~((2u << prio) - 1);
}

static struct thread *idle_thread;
static struct thread *reap_list;

/* Time-stamp counts during which the idle thread was current, up to its last
 * switch away; and when it last became current. Every instruction it runs counts
 * as idle, its interrupts' included: under -icount sleep=off, where halted time
 * passes at once, a guest waiting for input takes thousands of timer ticks a
 * second of wall time, and their cost must not use up a test's budget. */
static uint64_t idle_tsc, idle_since;
/* When current was last charged (it became current, or a timer tick came): its
 * space has run rdtsc() - charged_tsc counts since, not yet in its cpu_used. */
static uint64_t charged_tsc;
/* The idle thread has reported what the blocked threads wait on since another
 * thread last ran: once each time the machine falls idle (debug/blocked.h). */
static int idle_reported;

static void idle_loop(void)
{
	for (;;) {
		if (!idle_reported) {
			idle_reported = 1;
			blocked_report();	/* may end the run: a deadlock */
		}
		sti();
		hlt();
		cli();
		schedule();
	}
}

/* Charge t, current until now, what it ran since charged_tsc; returns now.
 * Inline: every switch does. */
static inline uint64_t charge(struct thread *t)
{
	uint64_t now = rdtsc();
	space_charge_cpu(t->space, now - charged_tsc);
	charged_tsc = now;
	return now;
}

void sched_charge_current(void)
{
	if (current)		/* none before the first switch */
		charge(current);
}

void sched_add_idle(uint64_t tsc)
{
	idle_tsc += tsc;
}

uint64_t sched_busy_tsc(void)
{
	uint64_t now = rdtsc();
	return now - idle_tsc - (idle_thread && current == idle_thread ? now - idle_since : 0);
}

void sched_init(void)
{
	idle_thread = thread_create_kernel("idle", idle_loop, PRIO_MIN);
	if (!idle_thread)
		panic("no memory for the idle thread");
}

void sched_add(struct thread *t)
{
	t->next = NULL;
	if (runq[t->prio].tail)
		runq[t->prio].tail->next = t;
	else
		runq[t->prio].head = t;
	runq[t->prio].tail = t;
	ready |= 1u << t->prio;
}

void sched_remove(struct thread *t)
{
	struct thread **pp = &runq[t->prio].head, *prev = NULL;
	for (; *pp && *pp != t; prev = *pp, pp = &(*pp)->next)
		;
	if (!*pp)
		return;
	*pp = t->next;
	if (runq[t->prio].tail == t)
		runq[t->prio].tail = prev;
	if (!runq[t->prio].head)
		ready &= ~(1u << t->prio);
	t->next = NULL;
}

void sched_set_prio(struct thread *t, int prio)
{
	int queued = t->state == THREAD_RUNNABLE && t != current;
	if (queued)
		sched_remove(t);
	t->prio = prio;
	if (queued)
		sched_add(t);
}

void sched_reap(struct thread *t)
{
	t->next = reap_list;
	reap_list = t;
}

/* Inline, as switch_to: schedule and sched_preempt, on every thread switch, are their
 * only callers. */
static inline __attribute__((always_inline)) struct thread *pick(void)
{
	if (!ready)
		return idle_thread;
	int p = 31 - __builtin_clz(ready);
	struct thread *t = runq[p].head;
	runq[p].head = t->next;
	if (!t->next) {
		runq[p].tail = NULL;
		ready &= ~(1u << p);
	}
	t->next = NULL;
	return t;
}

/* Free dead threads other than the one whose stack we are on. Invariant: a thread
 * object never names freed memory. A thread that died while its object lives (an
 * unhandled exception) only leaves the list: it stays, inert, until the object is
 * destroyed, which kills it again (thread_obj.c), this time with no object. */
static void reap(void)
{
	struct thread **pp = &reap_list;
	while (*pp) {
		struct thread *t = *pp;
		if (t == current) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		if (!t->obj)
			thread_free(t);
	}
}

static inline __attribute__((always_inline)) void switch_to(struct thread *next)
{
	struct thread *prev = current;
	if (next != idle_thread)
		idle_reported = 0;
	uint64_t now = charge(prev);	/* prev's run ends; next's starts now */
	if (prev == idle_thread)
		idle_tsc += now - idle_since;
	else if (next == idle_thread)
		idle_since = now;
	current = next;
	seg_set_kernel_stack(next->kstack + KSTACK_SIZE);
	space_activate(next->space);
	ioport_activate(next->space);
	context_switch(&prev->kesp, next->kesp);
	reap();
}

void schedule(void)
{
	if (reap_list)
		reap();
	/* Current keeps the CPU if it is runnable and nobody better waits. */
	if (current->state == THREAD_RUNNABLE && current != idle_thread) {
		if (!ready_above(current->prio))
			return;
		sched_add(current);
	}
	struct thread *next = pick();
	if (next != current)
		switch_to(next);
}

int sched_turn_over(void)
{
	return pic_requested(IRQ_TIMER);
}

void sched_preempt(void)
{
	reap();		/* a yield with nobody else to run still frees dead threads */
	if (current != idle_thread && current->state == THREAD_RUNNABLE) {
		sched_add(current);
		struct thread *next = pick();
		if (next != current)
			switch_to(next);
	}
}

void sched_check_current(void)
{
	/* The common case, in one test: current runs on and nothing is to be done. */
	if (current->state == THREAD_RUNNABLE && !ready_above(current->prio) && !reap_list)
		return;
	do
		schedule();	/* a better thread woken meanwhile runs now */
	while (current->state != THREAD_RUNNABLE);
}

void sched_start(void)
{
	static struct thread boot;	/* stands for the boot stack, never resumed */
	boot.state = THREAD_DEAD;
	current = &boot;
	schedule();
	panic("the boot thread was scheduled");
}
