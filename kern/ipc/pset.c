/* Port sets: state is the hash alone; ports link to them (kern/ipc/port.c). */
#include "object/object.h"
#include <fluke/state.h>

static int pset_get_state(struct object *ob, void *state, struct object **links)
{
	(void)ob;
	(void)state;
	(void)links;
	return 0;
}

static int pset_set_state(struct object *ob, const void *state, struct object *const *links,
			  unsigned given)
{
	(void)ob;
	(void)state;
	(void)links;
	(void)given;
	return 0;
}

const struct object_ops pset_ops = {
	.size = sizeof(struct object),
	.state_size = sizeof(fluke_pset_state_t),
	.nlinks = 0,
	.referencable = 1,
	.destroy = NULL,
	.get_state = pset_get_state,
	.set_state = pset_set_state,
};
