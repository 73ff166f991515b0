/*
 * What every checkpointer needs to read a child's objects out of memory it holds
 * and rebuild them (user/test/ckpt, monitors/ckpt): which link slots each
 * type's state has, which of them set_state sets, and region_search over a whole
 * region. handouts/api.md, sections 3 and 8.4, say why a saved state and its
 * links are all an object needs to be recreated.
 */
#ifndef FLUKE_EXTRACT_H
#define FLUKE_EXTRACT_H

#include <fluke/space.h>
#include <fluke/abi/state.h>
#include <fluke/abi/thread.h>

/* A saved object's state, whatever its type: every state struct starts with
 * the hash (a reference has none: zero). */
union fluke_object_state {
	uint32_t hash;
	fluke_thread_state_t thread;
	fluke_mutex_state_t mutex;
	fluke_cond_state_t cond;
	fluke_port_state_t port;
	fluke_pset_state_t pset;
	fluke_space_state_t space;
	fluke_region_state_t region;
	fluke_mapping_state_t mapping;
};

/* Link slots of type's state (get_state and set_state order). */
int fluke_extract_links(uint32_t type);
/* Whether set_state sets link slot k of type: all but a thread's waiting_for,
 * which is derived from what it does (its registers say it again). */
int fluke_extract_settable(uint32_t type, int k);
/* Whether a reference may point at an object of type (not at a reference or a
 * mapping): no link names one of those, so a checkpointer need not resolve it. */
int fluke_extract_referencable(uint32_t type);
/* Every object in r's first size bytes, in address order, into found[] (max of
 * them), their number in *n: NULL, or why not. */
const char *fluke_extract_search(const fluke_region_t *r, uint32_t size,
				 fluke_search_entry_t *found, uint32_t max, uint32_t *n);

#endif
