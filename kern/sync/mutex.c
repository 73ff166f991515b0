#include "sync/mutex.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include <fluke/abi/state.h>
#include <fluke/abi/error.h>

int mutex_acquire(struct mutex *m, struct thread *t)
{
	if (m->owner)
		return -1;
	m->owner = t;
	m->owned_next = t->mutexes;
	t->mutexes = m;
	return 0;
}

void mutex_release(struct mutex *m)
{
	struct thread *owner = m->owner;
	struct mutex **pp = &owner->mutexes;
	while (*pp != m)
		pp = &(*pp)->owned_next;
	*pp = m->owned_next;
	m->owner = NULL;
	m->owned_next = NULL;
	waitq_wake_all(&m->waiters);
	mutex_reprioritize(owner);	/* what it inherited through m is gone */
}

/* The priority t should run at: its own, raised to that of the highest thread
 * waiting for an inheriting mutex it holds. */
static int inherited(const struct thread *t)
{
	int p = t->base_prio;
	for (const struct mutex *m = t->mutexes; m; m = m->owned_next)
		if (m->flags & FLUKE_MUTEX_INHERIT_PRI)
			for (const struct thread *w = m->waiters.head; w; w = w->next)
				if (w->prio > p)
					p = w->prio;
	return p;
}

/* The inheriting mutex the blocked t waits for, or NULL. */
static struct mutex *awaited(const struct thread *t)
{
	struct object *ob = t->state == THREAD_BLOCKED ? t->waiting_for.target : NULL;
	struct mutex *m = ob && ob->type == FLUKE_TYPE_MUTEX ? (struct mutex *)ob : NULL;
	return m && (m->flags & FLUKE_MUTEX_INHERIT_PRI) && &m->waiters == t->wq ? m : NULL;
}

/* A chain longer than the priority range has a cycle (a deadlock): stop there. */
#define CHAIN_MAX (FLUKE_PRIO_MAX + 1)

void mutex_reprioritize(struct thread *t)
{
	for (int n = 0; t && n < CHAIN_MAX; n++) {
		int p = inherited(t);
		if (p == t->prio)
			return;
		sched_set_prio(t, p);
		struct mutex *m = awaited(t);
		t = m ? m->owner : NULL;
	}
}

void mutex_release_all(struct thread *t)
{
	while (t->mutexes)
		mutex_release(t->mutexes);
}

static void mutex_destroy(struct object *ob)
{
	struct mutex *m = (struct mutex *)ob;
	if (m->owner)
		mutex_release(m);
}

static int mutex_get_state(struct object *ob, void *state, struct object **links)
{
	struct mutex *m = (struct mutex *)ob;
	fluke_mutex_state_t *st = state;
	st->flags = m->flags;
	st->locked = m->owner != NULL;
	links[0] = m->owner ? m->owner->obj : NULL;
	return 0;
}

/*
 * The owner link, when given, decides who holds the mutex (a null reference:
 * nobody). Otherwise the state's locked field does: 1 makes the caller the owner.
 */
static int mutex_set_state(struct object *ob, const void *state, struct object *const *links,
			   unsigned given)
{
	struct mutex *m = (struct mutex *)ob;
	const fluke_mutex_state_t *st = state;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_THREAD)
		return FLUKE_INSANITY_NOT_THREAD;
	if (st && ((st->flags & ~FLUKE_MUTEX_FLAGS) || st->locked > 1))
		return FLUKE_INSANITY_INVALID_STATE;
	if (st) {
		m->flags = st->flags;
		if (m->owner)
			mutex_reprioritize(m->owner);	/* inheritance may be on or off now */
	}
	if (!(given & 1) && !st)
		return 0;
	struct thread *owner = (given & 1) ? thread_of(links[0]) : st->locked ? current : NULL;
	if (m->owner)
		mutex_release(m);
	if (owner)
		mutex_acquire(m, owner);
	return 0;
}

const struct object_ops mutex_ops = {
	.size = sizeof(struct mutex),
	.state_size = sizeof(fluke_mutex_state_t),
	.nlinks = 1,
	.referencable = 1,
	.destroy = mutex_destroy,
	.get_state = mutex_get_state,
	.set_state = mutex_set_state,
};
