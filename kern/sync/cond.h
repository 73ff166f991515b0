/* Condition variables. Waiters restart in cond_reacquire once woken. */
#ifndef KERN_SYNC_COND_H
#define KERN_SYNC_COND_H

#include "object/object.h"
#include "object/link.h"
#include "thread/waitq.h"

struct cond {
	struct object ob;
	uint32_t flags;		/* FLUKE_COND_* */
	struct waitq waiters;
	struct link inheritor;	/* a thread, recorded and exported; not acted on */
};

#endif
