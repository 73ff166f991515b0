/*
 * Ports: where clients send. A port delivers to the port set its pset link names;
 * clients that find no server waiting on that set wait on the port's senders
 * queue (the port is then on the set's busy list, kern/ipc/ipc.h). Destroying or
 * moving a port wakes its waiting clients: they run their call again and find the
 * port gone (FLUKE_IPC_INVALID_DEST) or a server of the new set.
 */
#include "ipc/ipc.h"
#include "thread/thread.h"
#include <fluke/abi/state.h>
#include <fluke/abi/error.h>

struct pset *port_pset(struct port *p)
{
	return (struct pset *)p->pset.target;
}

/* p goes on its set's busy list: a sender is about to wait on it. */
static void mark_busy(struct port *p)
{
	struct pset *ps = port_pset(p);
	if (ps && !p->busy) {
		p->busy = 1;
		p->busy_next = ps->busy;
		ps->busy = p;
	}
}

void port_wait(struct port *p)
{
	mark_busy(p);
	waitq_sleep(&p->senders, &p->ob);
}

void port_hold(struct port *p, struct thread *t)
{
	mark_busy(p);
	waitq_move(t, &p->senders, &p->ob);
}

static void port_destroy(struct object *ob)
{
	struct port *p = (struct port *)ob;
	pset_unbusy(p);
	link_set(&p->pset, NULL);
	waitq_wake_all(&p->senders);
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
	if ((given & 1) && links[0] != p->pset.target) {
		pset_unbusy(p);
		link_set(&p->pset, links[0]);
		waitq_wake_all(&p->senders);
	}
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
