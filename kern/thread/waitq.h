/*
 * Wait queues: threads blocked until an object changes. Blocking calls restart
 * (the caller backs EIP up to its int $0x40 before sleeping), so a woken thread
 * just runs its call again and the kernel keeps no continuation.
 * Invariant: t is on q iff t->state == THREAD_BLOCKED and t->wq == q; the queue
 * links through t->next (a blocked thread is on no run queue).
 */
#ifndef KERN_THREAD_WAITQ_H
#define KERN_THREAD_WAITQ_H

struct thread;
struct object;

struct waitq {
	struct thread *head, *tail;
};

/* Block the current thread on q, the queue of object ob (the thread's waiting_for
 * link); it leaves the CPU on its way back to user mode. */
void waitq_sleep(struct waitq *q, struct object *ob);
/* The blocked thread t waits on q, the queue of ob, instead (IPC hands a waiting
 * server from its port set to the client that connected to it). */
void waitq_move(struct thread *t, struct waitq *q, struct object *ob);
/* Make the blocked thread t runnable: it runs its call again. */
void waitq_wake(struct thread *t);
/* Make the first waiter runnable, if any. */
void waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);
/* Take the blocked thread t off its queue (it is being killed). */
void waitq_remove(struct thread *t);

#endif
