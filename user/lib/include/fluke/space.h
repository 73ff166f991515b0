/*
 * Calls on spaces, regions and mappings (handouts/api.md, "Memory"): the shared
 * object calls under their per-type names, and get_state/set_state with each
 * type's links. Mappings cannot be referenced.
 */
#ifndef FLUKE_SPACE_H
#define FLUKE_SPACE_H

#include <fluke/object.h>
#include <fluke/abi/vm.h>

FLUKE_OBJECT_CALLS(space, FLUKE_TYPE_SPACE)
FLUKE_REFERENCE_CALL(space)
FLUKE_OBJECT_CALLS(region, FLUKE_TYPE_REGION)
FLUKE_REFERENCE_CALL(region)
FLUKE_OBJECT_CALLS(mapping, FLUKE_TYPE_MAPPING)

static inline int fluke_space_get_state(const fluke_space_t *s, fluke_space_state_t *state,
					fluke_ref_t *keeper_ref)
{
	void *links[1] = { keeper_ref };
	return fluke_object_get_state(s, state, links);
}

static inline int fluke_space_set_state(fluke_space_t *s, const fluke_space_state_t *state,
					const fluke_ref_t *keeper_ref)
{
	void *links[1] = { (void *)keeper_ref };
	return fluke_object_set_state(s, state, links);
}

static inline int fluke_region_get_state(const fluke_region_t *r, fluke_region_state_t *state,
					 fluke_ref_t *space_ref, fluke_ref_t *keeper_ref)
{
	void *links[2] = { space_ref, keeper_ref };
	return fluke_object_get_state(r, state, links);
}

static inline int fluke_region_set_state(fluke_region_t *r, const fluke_region_state_t *state,
					 const fluke_ref_t *space_ref, const fluke_ref_t *keeper_ref)
{
	void *links[2] = { (void *)space_ref, (void *)keeper_ref };
	return fluke_object_set_state(r, state, links);
}

static inline int fluke_mapping_get_state(const fluke_mapping_t *m, fluke_mapping_state_t *state,
					  fluke_ref_t *region_ref, fluke_ref_t *space_ref)
{
	void *links[2] = { region_ref, space_ref };
	return fluke_object_get_state(m, state, links);
}

static inline int fluke_mapping_set_state(fluke_mapping_t *m, const fluke_mapping_state_t *state,
					  const fluke_ref_t *region_ref, const fluke_ref_t *space_ref)
{
	void *links[2] = { (void *)region_ref, (void *)space_ref };
	return fluke_object_set_state(m, state, links);
}

/* fluke_space_self, fluke_region_protect, fluke_mapping_protect, fluke_region_search,
 * fluke_region_dirty and fluke_vm_stats are system calls (<fluke/syscalls.h>). */

#endif
