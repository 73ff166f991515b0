/*
 * Mutexes. Invariants: the mutex is locked iff owner != NULL; a locked mutex is on
 * its owner's list of held mutexes (thread->mutexes, linked through owned_next);
 * waiters sleep only while the mutex is locked, and all retry when it is unlocked.
 * Priority inheritance (FLUKE_MUTEX_INHERIT_PRI): the owner runs at least at the
 * priority of every thread waiting for the mutex, through chains of such mutexes;
 * it is recomputed when a thread starts waiting, when the mutex is released and
 * when priorities or flags are set (a waiter that leaves otherwise, interrupted or
 * stopped, leaves its boost until then).
 */
#ifndef KERN_SYNC_MUTEX_H
#define KERN_SYNC_MUTEX_H

#include "object/object.h"
#include "thread/waitq.h"

struct thread;

struct mutex {
	struct object ob;
	uint32_t flags;		/* FLUKE_MUTEX_* */
	struct thread *owner;
	struct mutex *owned_next;
	struct waitq waiters;	/* threads that will call mutex_lock again */
};

/* Lock m for t if it is unlocked: 0, or -1 if it is locked. */
int mutex_acquire(struct mutex *m, struct thread *t);
/* Unlock the locked m; its waiters wake to retry. */
void mutex_release(struct mutex *m);
/* Unlock every mutex t holds (t is dying). */
void mutex_release_all(struct thread *t);
/* Bring t's scheduling priority up to date with what it inherits, and then that
 * of the owner of the inheriting mutex t waits for, and so on. */
void mutex_reprioritize(struct thread *t);

#endif
