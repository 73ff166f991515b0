#include "object/ref.h"

static void ref_destroy(struct object *ob)
{
	link_set(&((struct ref *)ob)->link, NULL);
}

static int ref_get_state(struct object *ob, void *state, struct object **links)
{
	(void)state;
	links[0] = ((struct ref *)ob)->link.target;
	return 0;
}

static int ref_set_state(struct object *ob, const void *state, struct object *const *links,
			 unsigned given)
{
	(void)state;
	if (given & 1)
		link_set(&((struct ref *)ob)->link, links[0]);
	return 0;
}

const struct object_ops ref_ops = {
	.size = sizeof(struct ref),
	.state_size = 0,
	.nlinks = 1,
	.referencable = 0,
	.destroy = ref_destroy,
	.get_state = ref_get_state,
	.set_state = ref_set_state,
};
