/*
 * The thread object type. The user-visible object and the kernel thread are two
 * structs: destroying the object kills the thread, whose kernel stack the
 * scheduler frees only once it is off it (a thread may destroy itself).
 * Invariant: obj->t->obj == &obj->ob while both live.
 */
#include "thread/thread.h"
#include "thread/sched.h"
#include "sync/mutex.h"
#include "object/object.h"
#include "object/link.h"
#include "ipc/ipc.h"
#include "arch/trap.h"
#include "arch/mmu.h"
#include "vm/space.h"
#include <fluke/abi/thread.h>
#include <fluke/abi/error.h>

struct thread_object {
	struct object ob;
	struct thread *t;
	struct link scheduler;	/* kept for CPU-inheritance schedulers; unused */
};

static struct object *space_object(struct space *s)
{
	return s ? &s->ob : NULL;
}

/* A space's object is its first member (kern/vm/space.h). */
static struct space *object_space(struct object *ob)
{
	return (struct space *)ob;
}

struct thread *thread_of(struct object *ob)
{
	return ob ? ((struct thread_object *)ob)->t : NULL;
}

static int thread_init(struct object *ob)
{
	struct thread_object *to = (struct thread_object *)ob;
	/* Named after its creator's program, for fault reports. */
	to->t = thread_create_stopped(current ? current->name : "thread", PRIO_DEFAULT);
	if (!to->t)
		return FLUKE_NO_MEMORY;
	to->t->obj = ob;
	return 0;
}

static void thread_destroy(struct object *ob)
{
	struct thread_object *to = (struct thread_object *)ob;
	link_set(&to->scheduler, NULL);
	to->t->obj = NULL;
	thread_kill(to->t);
}

static int thread_get_state(struct object *ob, void *state, struct object **links)
{
	struct thread_object *to = (struct thread_object *)ob;
	struct thread *t = to->t;
	if (t == current)
		return FLUKE_INSANITY_CURRENT_THREAD;
	thread_stop(t);
	fluke_thread_state_t *st = state;
	const struct trapframe *tf = t->tf;
	st->flags = FLUKE_THREAD_STOPPED | (t->exc_enabled ? FLUKE_THREAD_EXCEPTIONS : 0) |
		    (t->interrupted ? FLUKE_THREAD_INTERRUPTED : 0);
	if (t->ipc_peer[IPC_CLIENT])
		st->flags |= (t->ipc_sender == IPC_SERVER ? FLUKE_THREAD_CLIENT_RECEIVES : 0) |
			     (t->ipc_acked ? 0 : FLUKE_THREAD_CLIENT_UNACKED);
	st->priority = t->base_prio;	/* its own: what it inherits follows from the waits */
	st->trap_handler = t->trap_handler;
	st->interrupt_handler = t->interrupt_handler;
	st->saved = t->saved;
	st->eax = tf->eax;
	st->ebx = tf->ebx;
	st->ecx = tf->ecx;
	st->edx = tf->edx;
	st->esi = tf->esi;
	st->edi = tf->edi;
	st->ebp = tf->ebp;
	st->esp = tf->esp;
	st->eip = tf->eip;
	st->eflags = tf->eflags & FLUKE_USER_EFLAGS;
	links[FLUKE_THREAD_LINK_SPACE] = space_object(t->space);
	links[FLUKE_THREAD_LINK_SCHEDULER] = to->scheduler.target;
	links[FLUKE_THREAD_LINK_WAITING_FOR] = t->waiting_for.target;
	for (int side = IPC_CLIENT; side <= IPC_SERVER; side++)	/* the peers of its connections */
		links[FLUKE_THREAD_LINK_CLIENT + side] = t->ipc_peer[side] ? t->ipc_peer[side]->obj : NULL;
	return 0;
}

static int thread_set_state(struct object *ob, const void *state, struct object *const *links,
			    unsigned given)
{
	struct thread_object *to = (struct thread_object *)ob;
	struct thread *t = to->t;
	const fluke_thread_state_t *st = state;
	struct object *sp = links[FLUKE_THREAD_LINK_SPACE];
	struct object *sched = links[FLUKE_THREAD_LINK_SCHEDULER];
	const unsigned settable = (1u << FLUKE_THREAD_LINK_SPACE) |
				  (1u << FLUKE_THREAD_LINK_SCHEDULER) |
				  (1u << FLUKE_THREAD_LINK_CLIENT) | (1u << FLUKE_THREAD_LINK_SERVER);

	/* Check everything before changing anything. */
	if (t == current)
		return FLUKE_INSANITY_CURRENT_THREAD;
	if ((given & (1u << FLUKE_THREAD_LINK_SPACE)) && sp && sp->type != FLUKE_TYPE_SPACE)
		return FLUKE_INSANITY_NOT_SPACE;
	if ((given & (1u << FLUKE_THREAD_LINK_SCHEDULER)) && sched && sched->type != FLUKE_TYPE_PORT)
		return FLUKE_INSANITY_NOT_PORT;
	if (given & ~settable)
		return FLUKE_INSANITY_INVALID_STATE;	/* waiting_for is derived */
	for (int x = IPC_CLIENT; x <= IPC_SERVER; x++) {
		struct object *peer = links[FLUKE_THREAD_LINK_CLIENT + x];
		if (!(given & (1u << (FLUKE_THREAD_LINK_CLIENT + x))) || !peer)
			continue;
		if (peer->type != FLUKE_TYPE_THREAD)
			return FLUKE_INSANITY_NOT_THREAD;
		if (thread_of(peer) == t || thread_of(peer)->state == THREAD_DEAD)
			return FLUKE_INSANITY_INVALID_STATE;
	}
	/* No thread may raise another above its own priority: a child cannot starve
	 * the monitors above it. */
	if (st && ((st->flags & ~FLUKE_THREAD_FLAGS) || st->priority < FLUKE_PRIO_MIN ||
		   st->priority > FLUKE_PRIO_MAX || (int)st->priority > current->base_prio))
		return FLUKE_INSANITY_INVALID_STATE;

	thread_stop(t);
	if (given & (1u << FLUKE_THREAD_LINK_SPACE))
		t->space = object_space(sp);
	if (given & (1u << FLUKE_THREAD_LINK_SCHEDULER))
		link_set(&to->scheduler, sched);
	for (int x = IPC_CLIENT; x <= IPC_SERVER; x++)
		if (given & (1u << (FLUKE_THREAD_LINK_CLIENT + x)))
			ipc_set_connection(t, x, thread_of(links[FLUKE_THREAD_LINK_CLIENT + x]),
					   st && (st->flags & FLUKE_THREAD_CLIENT_RECEIVES),
					   st && (st->flags & FLUKE_THREAD_CLIENT_UNACKED));
	if (!st)
		return 0;
	struct trapframe *tf = t->tf;
	t->kfault.pending = t->kfault.refused = 0;	/* any call they hold starts afresh */
	tf->eax = st->eax;
	tf->ebx = st->ebx;
	tf->ecx = st->ecx;
	tf->edx = st->edx;
	tf->esi = st->esi;
	tf->edi = st->edi;
	tf->ebp = st->ebp;
	tf->esp = st->esp;
	tf->eip = st->eip;
	tf->eflags = (st->eflags & FLUKE_USER_EFLAGS) | FL_IF;
	t->base_prio = st->priority;
	mutex_reprioritize(t);
	t->trap_handler = st->trap_handler;
	t->interrupt_handler = st->interrupt_handler;
	t->exc_enabled = (st->flags & FLUKE_THREAD_EXCEPTIONS) != 0;
	t->saved = st->saved;
	t->saved.eflags &= FLUKE_USER_EFLAGS;
	t->interrupted = (st->flags & FLUKE_THREAD_INTERRUPTED) != 0;
	if (!(st->flags & FLUKE_THREAD_STOPPED))
		thread_resume(t);
	return 0;
}

const struct object_ops thread_ops = {
	.size = sizeof(struct thread_object),
	.state_size = sizeof(fluke_thread_state_t),
	.nlinks = FLUKE_THREAD_LINKS,
	.referencable = 1,
	.init = thread_init,
	.destroy = thread_destroy,
	.get_state = thread_get_state,
	.set_state = thread_set_state,
};
