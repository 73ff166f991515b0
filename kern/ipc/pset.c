/*
 * Port sets: where server threads wait (WAIT_RECEIVE) for messages sent to any
 * of the ports that link to the set. Its state is the hash alone. The busy list
 * holds the ports whose clients wait for a server (kern/ipc/ipc.h).
 */
#include "ipc/ipc.h"
#include "thread/thread.h"
#include <fluke/abi/state.h>

struct thread *pset_first_server(struct pset *ps)
{
	return ps->servers.head;
}

void pset_kick_sender(struct pset *ps)
{
	while (ps->busy) {
		struct port *p = ps->busy;
		int woke = p->senders.head != NULL;
		waitq_wake_one(&p->senders);
		if (!p->senders.head) {
			ps->busy = p->busy_next;
			p->busy = 0;
		}
		if (woke)
			return;
	}
}

void pset_unbusy(struct port *p)
{
	struct pset *ps = port_pset(p);
	if (!p->busy)
		return;
	struct port **pp = &ps->busy;
	while (*pp != p)
		pp = &(*pp)->busy_next;
	*pp = p->busy_next;
	p->busy = 0;
}

/* Servers waiting on a destroyed set run their call again and find no set. */
static void pset_destroy(struct object *ob)
{
	struct pset *ps = (struct pset *)ob;
	for (struct port *p = ps->busy; p; p = p->busy_next)
		p->busy = 0;
	ps->busy = NULL;
	waitq_wake_all(&ps->servers);
}

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
	.size = sizeof(struct pset),
	.state_size = sizeof(fluke_pset_state_t),
	.nlinks = 0,
	.referencable = 1,
	.destroy = pset_destroy,
	.get_state = pset_get_state,
	.set_state = pset_set_state,
};
