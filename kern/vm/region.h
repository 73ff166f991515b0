/*
 * Regions and mappings, the edges of the memory graph. A region exports
 * [start_va, start_va + size) of its space with at most prot; a mapping imports
 * [region_off, region_off + size) of its region at [start_va, ...) of its space.
 * Invariants:
 *  - r->mappings lists exactly the mappings whose region is r;
 *  - start_va, size and region_off are page aligned; ranges of spaces other than
 *    phys_space end at or below USER_TOP;
 *  - a region over phys_space was made by the kernel (roottask.c): its range is
 *    fixed, and it reports a null space link;
 *  - while r->dirty is set (region_dirty tracks r's writes), a present PTE derived
 *    through r grants WRITE only for a page whose bit in r->dirty is set: a page's
 *    first write through r since its bit was cleared comes to vm_translate, which
 *    sets the bit.
 */
#ifndef KERN_VM_REGION_H
#define KERN_VM_REGION_H

#include "vm/space.h"

struct region {
	struct object ob;	/* first */
	uint32_t start_va, size, prot;
	struct space *space;	/* NULL: detached (every access through it faults) */
	struct vlist in_space;	/* on space->regions */
	struct vlist *mappings;	/* struct mapping.in_region */
	struct link keeper;	/* port for faults translation cannot resolve (ipc/keeper.c) */
	uint32_t *dirty;	/* a bit a page, set once written through r; NULL: not tracked */
	struct link dirty_charge;	/* the space charged for dirty */
};

struct mapping {
	struct object ob;	/* first */
	uint32_t region_off, start_va, size, prot;
	struct region *region;	/* NULL: every access faults */
	struct vlist in_region;
	struct space *space;	/* NULL: no effect */
	struct vlist in_space;
	struct mapping *left, *right;	/* in space->by_va (vm/mtree.h) */
	int height;
};

extern const struct object_ops region_ops, mapping_ops;

/* Insanity code if [start, start + size) of s is not page aligned or not in user
 * space (phys_space: any), or prot has unknown bits; else 0. */
int vm_check_range(const struct space *s, uint32_t start, uint32_t size, uint32_t prot);
/* The mapping of s covering va, or NULL. */
struct mapping *mapping_at(struct space *s, uint32_t va);
/* Give r (new, not yet used) the range [start, start + size) of s with prot; the
 * kernel's way to build regions over phys_space. */
void region_setup(struct region *r, struct space *s, uint32_t start, uint32_t size,
		  uint32_t prot);
/* Set m's state and links as set_state would (0 or an insanity code). */
int mapping_setup(struct mapping *m, struct region *r, struct space *s, uint32_t region_off,
		  uint32_t start_va, uint32_t size, uint32_t prot);
/* New maximum / wanted protection; derived translations are flushed. 0 or insanity. */
int region_protect(struct region *r, uint32_t prot);
int mapping_protect(struct mapping *m, uint32_t prot);
/* The words of r's dirty bitmap: one bit a page. */
static inline uint32_t region_dirty_words(const struct region *r)
{
	return (r->size / PAGE_SIZE + 31) / 32;
}
/* Start tracking r's writes (r->dirty all clear, charged to the caller's space) and
 * revoke every translation derived from r: 0 or FLUKE_NO_MEMORY. */
int region_dirty_start(struct region *r);
/* Clear the bits of r->dirty[first, first + n) that are set in bits and revoke the
 * translations of those pages, so that their next write is seen again. */
void region_dirty_clear(struct region *r, uint32_t first, const uint32_t *bits, uint32_t n);

#endif
