/* Finding the objects that live in a region's memory (fluke_region_search). */
#ifndef KERN_VM_SEARCH_H
#define KERN_VM_SEARCH_H

#include <stdint.h>
#include <fluke/abi/vm.h>

struct region;

/* Write to out (room for max) the live objects whose slots lie in region offsets
 * [*off, end), clipped to the region, in address order; return how many. At most
 * *pages pages are looked at (the count goes down). *off becomes the offset to
 * continue from: that of the first object that did not fit, or of the first page
 * past the budget, else the end of the range. */
uint32_t region_search(struct region *r, uint32_t *off, uint64_t end,
		       struct fluke_search_entry *out, uint32_t max, uint32_t *pages);
/* The most entries a search of [off, end) of r with a budget of pages pages can
 * find: the object slots of the range clipped to the region, no more than those
 * of that many pages. */
uint32_t region_search_most(struct region *r, uint32_t off, uint64_t end, uint32_t pages);

#endif
