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
