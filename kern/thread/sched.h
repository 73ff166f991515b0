/*
 * Preemptive priority round-robin scheduling on one CPU. The highest-priority
 * runnable thread runs; threads of equal priority take turns, one timer tick each.
 * Invariant: a thread is on a run queue iff it is THREAD_RUNNABLE and not current.
 */
#ifndef KERN_THREAD_SCHED_H
#define KERN_THREAD_SCHED_H

#include <stdint.h>

struct thread;

void sched_init(void);
void sched_add(struct thread *t);	/* t became runnable */
void sched_remove(struct thread *t);	/* t, runnable and queued, stops being runnable */
void sched_reap(struct thread *t);	/* t is dead: free it once it is off its stack */
void sched_set_prio(struct thread *t, int prio);	/* t's prio becomes prio (requeued) */
/* Run the best runnable thread; returns when the caller is chosen again. */
void schedule(void);
/* Whether the current thread's turn is over: a timer tick came while the kernel
 * worked (a long call stops at a point it can restart from, and the tick is taken
 * on the way back to user mode). */
int sched_turn_over(void);
/* Timer tick in user mode: let an equal-priority thread have a turn. */
void sched_preempt(void);
/* Before returning to user mode: switch away if current may not run, or if a
 * thread of higher priority has become runnable. */
void sched_check_current(void);
/* Charge current's space (none for a kernel thread) the time-stamp counts since
 * current was last charged: every switch does, and the timer tick, so that a
 * space's cpu_used lags what it ran by less than a tick (vm/space.h). */
void sched_charge_current(void);
/* The time-stamp counter less the time the idle thread was current: under QEMU
 * -icount sleep=off, where idle time passes instantly, the guest instructions of
 * every other thread. */
uint64_t sched_busy_tsc(void);
/* Count tsc counts of a wait for the host (a device not ready) as idle. */
void sched_add_idle(uint64_t tsc);
/* Start scheduling on the boot stack; never returns. */
void sched_start(void) __attribute__((noreturn));

#endif
