#include "thread/waitq.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include <stddef.h>

static void append(struct waitq *q, struct thread *t, struct object *ob)
{
	t->state = THREAD_BLOCKED;
	t->wq = q;
	if (t->waiting_for.target != ob)	/* a server waits on one set call after call */
		link_set(&t->waiting_for, ob);
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

void waitq_sleep(struct waitq *q, struct object *ob)
{
	append(q, current, ob);
}

void waitq_move(struct thread *t, struct waitq *q, struct object *ob)
{
	waitq_remove(t);
	append(q, t, ob);
}

void waitq_wake(struct thread *t)
{
	waitq_remove(t);
	t->state = THREAD_RUNNABLE;	/* waiting_for stays, meaning nothing (thread.h) */
	sched_add(t);
}

void waitq_wake_one(struct waitq *q)
{
	if (q->head)
		waitq_wake(q->head);
}

void waitq_wake_all(struct waitq *q)
{
	while (q->head)
		waitq_wake_one(q);
}

void waitq_remove(struct thread *t)
{
	struct waitq *q = t->wq;
	struct thread **pp = &q->head, *prev = NULL;
	while (*pp != t) {
		prev = *pp;
		pp = &prev->next;
	}
	*pp = t->next;
	if (q->tail == t)
		q->tail = prev;
	t->next = NULL;
	t->wq = NULL;
}
