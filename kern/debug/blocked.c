/* The IDLE, DEADLOCK and BLOCKED records: what each thread waits on, once none runs. */
#include "debug/blocked.h"
#include "debug/record.h"
#include "arch/trap.h"
#include "dev/console.h"
#include "dev/irqwait.h"
#include "ipc/ipc.h"
#include "lib/printf.h"
#include "sync/mutex.h"
#include "thread/thread.h"
#include "vm/space.h"
#include <fmt.h>

#define BLOCKED_MAX	32	/* BLOCKED records at most: a thread storm's report stays short */
#define LINE_MAX	160

static uint32_t hash_of(const struct object *ob)
{
	return ob ? ob->hash : 0;
}

/* Whether t is one of the program threads the report is about: it has a space to
 * run in and is not dead (the idle thread is current, and has no space). */
static int reported(const struct thread *t)
{
	return t != current && t->space && t->state != THREAD_DEAD;
}

/* The thread on whose ipc_waiters queue t sleeps, or NULL. */
static struct thread *ipc_waited_on(const struct thread *t)
{
	for (struct thread *u = thread_all(); u; u = u->all_next)
		if (t->wq == &u->ipc_waiters)
			return u;
	return NULL;
}

/* What t (blocked or stopped) waits on, for the BLOCKED record: "KIND", and the object
 * (on) or the thread (other) it waits for. */
static const char *wait_kind(const struct thread *t, struct object **on, struct thread **other)
{
	struct object *ob = t->waiting_for.target;
	*on = NULL;
	*other = NULL;
	if (t->state == THREAD_STOPPED)
		return "stopped";	/* only another thread can resume it */
	if (console_waits(t))
		return "console-input";
	if (irqwait_waits(t))
		return "device-interrupt";
	switch (ob ? ob->type : FLUKE_TYPE_NONE) {
	case FLUKE_TYPE_MUTEX:
		*on = ob;
		*other = ((struct mutex *)ob)->owner;
		return "mutex";
	case FLUKE_TYPE_COND:
		*on = ob;
		return "condition";
	case FLUKE_TYPE_PSET:
		*on = ob;
		return "receive";
	case FLUKE_TYPE_PORT:
		*on = ob;
		return t->keeper_call ? "keeper" : "server";
	default:
		break;
	}
	*other = ipc_waited_on(t);	/* a peer thread, with or without an object */
	if (!*other)
		return "unknown";
	if (t->keeper_call)
		return "keeper-reply";
	return t->ipc_idem_server == *other ? "reply" : "peer";
}

/* t's BLOCKED record text into line. */
static void describe(const struct thread *t, char *line)
{
	struct object *on;
	struct thread *other;
	const char *kind = wait_kind(t, &on, &other);
	int n = snprintf(line, LINE_MAX, "thread=%08x prog=%s space=%08x eip=%08x waits=%s",
			 hash_of(t->obj), t->name, hash_of(&t->space->ob), t->tf->eip, kind);
	if (on && n < LINE_MAX)
		n += snprintf(line + n, LINE_MAX - n, " on=%08x", hash_of(on));
	if (other && n < LINE_MAX)
		snprintf(line + n, LINE_MAX - n, " other=%08x otherprog=%s", hash_of(other->obj),
			 other->name);
}

void blocked_report(void)
{
	unsigned threads = 0, readers = 0, shown = 0;
	for (struct thread *t = thread_all(); t; t = t->all_next) {
		if (!reported(t))
			continue;
		/* Never so while the idle thread runs (interrupts are off): the invariant the
		 * report rests on. Should it fail, a live run must not be ended. */
		if (t->state == THREAD_RUNNABLE)
			return;
		threads++;
		readers += console_waits(t) || irqwait_waits(t);	/* outside input wakes them */
	}
	int deadlock = readers == 0;	/* then nothing can ever wake a thread */
	if (deadlock) {
		record_emit("DEADLOCK", "threads=%u", threads);
		kprintf("kernel: deadlock: every thread is blocked and nothing can wake one\n");
	} else {
		record_emit("IDLE", "threads=%u console=%u input=%u", threads, readers,
			    console_input_count());
	}
	for (struct thread *t = thread_all(); t && shown < BLOCKED_MAX; t = t->all_next) {
		char line[LINE_MAX];
		if (!reported(t))
			continue;
		describe(t, line);
		record_emit("BLOCKED", "%s", line);
		if (deadlock)
			kprintf("kernel: blocked %s\n", line);
		shown++;
	}
	if (shown < threads)
		record_emit("BLOCKED", "more=%u", threads - shown);
	if (deadlock)
		record_end(END_DEADLOCK);
}
