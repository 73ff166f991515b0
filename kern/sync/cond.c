#include "sync/cond.h"
#include <fluke/abi/state.h>
#include <fluke/abi/error.h>

static void cond_destroy(struct object *ob)
{
	struct cond *c = (struct cond *)ob;
	waitq_wake_all(&c->waiters);
	link_set(&c->inheritor, NULL);
}

static int cond_get_state(struct object *ob, void *state, struct object **links)
{
	struct cond *c = (struct cond *)ob;
	fluke_cond_state_t *st = state;
	st->flags = c->flags;
	links[0] = c->inheritor.target;
	return 0;
}

/* Every check comes first: an insane call changes nothing. */
static int cond_set_state(struct object *ob, const void *state, struct object *const *links,
			  unsigned given)
{
	struct cond *c = (struct cond *)ob;
	const fluke_cond_state_t *st = state;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_THREAD)
		return FLUKE_INSANITY_NOT_THREAD;
	if (st && (st->flags & ~FLUKE_COND_FLAGS))
		return FLUKE_INSANITY_INVALID_STATE;
	if (given & 1)
		link_set(&c->inheritor, links[0]);
	if (st)
		c->flags = st->flags;
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
