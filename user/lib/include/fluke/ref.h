/*
 * References: objects that hold one link to another object (or none: a null
 * reference). A reference is a capability; no call returns the object it points
 * to. Destroying the target makes every reference to it null.
 * State: none besides the link; fluke_ref_get_state copies the link into another
 * reference, fluke_ref_set_state points the reference where another one points.
 * References have no hash and cannot themselves be referenced.
 */
#ifndef FLUKE_REF_H
#define FLUKE_REF_H

#include <fluke/object.h>

FLUKE_OBJECT_CALLS(ref, FLUKE_TYPE_REF)

static inline int fluke_ref_get_state(const fluke_ref_t *ref, fluke_ref_t *target_ref)
{
	void *links[1] = { target_ref };
	return fluke_object_get_state(ref, 0, links);
}

static inline int fluke_ref_set_state(fluke_ref_t *ref, const fluke_ref_t *target_ref)
{
	void *links[1] = { (void *)target_ref };
	return fluke_object_set_state(ref, 0, links);
}

/* fluke_ref_copy, _clear, _compare, _hash and _type are system calls (<fluke/syscalls.h>). */

#endif
