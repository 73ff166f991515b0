/*
 * Threads. Each has its own kernel stack (the "process model"): a thread blocked
 * in the kernel keeps its kernel context on that stack. The user register state
 * is the trapframe at the top of the stack.
 */
#ifndef KERN_THREAD_THREAD_H
#define KERN_THREAD_THREAD_H

#include <stdint.h>

struct space;
struct trapframe;
struct waitq;
struct mutex;

enum thread_state {
	THREAD_RUNNABLE,	/* on a run queue, or current */
	THREAD_BLOCKED,		/* waiting for an event */
	THREAD_DEAD,		/* will never run again; freed by the scheduler */
};

#define PRIO_MIN	0
#define PRIO_MAX	31
#define PRIO_DEFAULT	16
#define THREAD_NAME_MAX	16

struct thread {
	struct thread *next;	/* run queue, wait queue or reap list link */
	uint32_t kstack;	/* base of its KSTACK_SIZE bytes (one page) */
	uint32_t kesp;		/* saved kernel stack pointer while not running */
	struct trapframe *tf;	/* user registers */
	struct space *space;
	enum thread_state state;
	struct waitq *wq;	/* the queue it is blocked on, while THREAD_BLOCKED */
	struct mutex *mutexes;	/* the mutexes it holds (kern/sync/mutex.h) */
	int prio;
	char name[THREAD_NAME_MAX];	/* the program's name, for reports */
};

extern struct thread *current;

/* A runnable user thread in space s starting at eip with stack esp; NULL if no memory. */
struct thread *thread_create_user(struct space *s, const char *name, uint32_t eip,
				  uint32_t esp, int prio);
/* A kernel thread running fn() (the idle thread). */
struct thread *thread_create_kernel(const char *name, void (*fn)(void), int prio);
/* Make t dead, releasing its mutexes; if t is current, the caller must let the
 * scheduler run next. */
void thread_kill(struct thread *t);
void thread_free(struct thread *t);
/* A synchronous exception (fault, trap) taken by the current thread in user mode. */
void thread_exception(struct trapframe *tf);

#endif
