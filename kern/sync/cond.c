#include "sync/cond.h"
#include <fluke/state.h>
#include <fluke/error.h>

static void cond_destroy(struct object *ob)
{
	waitq_wake_all(&((struct cond *)ob)->waiters);
}

/* The inheritor link stays null until threads are objects. */
static int cond_get_state(struct object *ob, void *state, struct object **links)
{
	fluke_cond_state_t *st = state;
	st->flags = ((struct cond *)ob)->flags;
	links[0] = NULL;
	return 0;
}

static int cond_set_state(struct object *ob, const void *state, struct object *const *links,
			  unsigned given)
{
	const fluke_cond_state_t *st = state;
	if ((given & 1) && links[0])
		return FLUKE_INSANITY_NOT_THREAD;
	if (!st)
		return 0;
	if (st->flags & ~FLUKE_COND_FLAGS)
		return FLUKE_INSANITY_INVALID_STATE;
	((struct cond *)ob)->flags = st->flags;
	return 0;
}

const struct object_ops cond_ops = {
	.size = sizeof(struct cond),
	.state_size = sizeof(fluke_cond_state_t),
	.nlinks = 1,
	.referencable = 1,
	.destroy = cond_destroy,
	.get_state = cond_get_state,
	.set_state = cond_set_state,
};
