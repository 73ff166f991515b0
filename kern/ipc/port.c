/*
 * Ports and port sets: for now only objects with state; IPC through them comes in
 * a later issue. A port's pset link is a link, so destroying the set nulls it.
 */
#include "object/object.h"
#include "object/link.h"
#include <fluke/state.h>
#include <fluke/error.h>

struct port {
	struct object ob;
	uint32_t alias;
	struct link pset;	/* target: a port set, or none */
};

static void port_destroy(struct object *ob)
{
	link_set(&((struct port *)ob)->pset, NULL);
}

static int port_get_state(struct object *ob, void *state, struct object **links)
{
	struct port *p = (struct port *)ob;
	((fluke_port_state_t *)state)->alias = p->alias;
	links[0] = p->pset.target;
	return 0;
}

static int port_set_state(struct object *ob, const void *state, struct object *const *links,
			  unsigned given)
{
	struct port *p = (struct port *)ob;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_PSET)
		return FLUKE_INSANITY_NOT_PSET;
	if (state)
		p->alias = ((const fluke_port_state_t *)state)->alias;
	if (given & 1)
		link_set(&p->pset, links[0]);
	return 0;
}

const struct object_ops port_ops = {
	.size = sizeof(struct port),
	.state_size = sizeof(fluke_port_state_t),
	.nlinks = 1,
	.referencable = 1,
	.destroy = port_destroy,
	.get_state = port_get_state,
	.set_state = port_set_state,
};
