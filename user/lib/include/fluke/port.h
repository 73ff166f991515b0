/*
 * Ports (IPC endpoints) and port sets (where server threads wait for messages on
 * many ports). IPC through them: <fluke/ipc.h>.
 */
#ifndef FLUKE_PORT_H
#define FLUKE_PORT_H

#include <fluke/object.h>
#include <fluke/abi/state.h>

FLUKE_OBJECT_CALLS(port, FLUKE_TYPE_PORT)
FLUKE_REFERENCE_CALL(port)

static inline int fluke_port_get_state(const fluke_port_t *p, fluke_port_state_t *state,
				       fluke_ref_t *pset_ref)
{
	void *links[1] = { pset_ref };
	return fluke_object_get_state(p, state, links);
}

static inline int fluke_port_set_state(fluke_port_t *p, const fluke_port_state_t *state,
				       const fluke_ref_t *pset_ref)
{
	void *links[1] = { (void *)pset_ref };
	return fluke_object_set_state(p, state, links);
}

FLUKE_OBJECT_CALLS(pset, FLUKE_TYPE_PSET)
FLUKE_REFERENCE_CALL(pset)

static inline int fluke_pset_get_state(const fluke_pset_t *ps, fluke_pset_state_t *state)
{
	return fluke_object_get_state(ps, state, 0);
}

static inline int fluke_pset_set_state(fluke_pset_t *ps, const fluke_pset_state_t *state)
{
	return fluke_object_set_state(ps, state, 0);
}

#endif
