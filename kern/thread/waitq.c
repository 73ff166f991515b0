#include "thread/waitq.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include <stddef.h>

void waitq_sleep(struct waitq *q, struct object *ob)
{
	current->state = THREAD_BLOCKED;
	current->wq = q;
	current->waiting_for = ob;
	current->next = NULL;
	if (q->tail)
		q->tail->next = current;
	else
		q->head = current;
	q->tail = current;
}

void waitq_wake(struct thread *t)
{
	waitq_remove(t);
	t->waiting_for = NULL;
	t->state = THREAD_RUNNABLE;
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
