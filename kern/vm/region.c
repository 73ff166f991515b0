/*
 * Regions: a space's range offered to mappings. Changing a region's range,
 * protection or space, or destroying it, first revokes every translation derived
 * from it (vm_revoke_region), at any depth. A region may also track which of its
 * pages are written through it (region_dirty_*; vm_translate sets the bits):
 * tracking ends when its range or space changes or it is destroyed.
 */
#include "vm/region.h"
#include "vm/translate.h"
#include "mm/kmem.h"
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

/* Insanity code if a range of space s is not page aligned or not in user space. */
int vm_check_range(const struct space *s, uint32_t start, uint32_t size, uint32_t prot)
{
	if ((start | size) & (PAGE_SIZE - 1))
		return FLUKE_INSANITY_NOT_ALIGNED;
	if (s != &phys_space && (uint64_t)start + size > USER_TOP)
		return FLUKE_INSANITY_INVALID_ADDRESS;
	if (prot & ~FLUKE_PROT_ALL)
		return FLUKE_INSANITY_INVALID_PROT;
	return 0;
}

static void attach(struct region *r, struct space *s)
{
	vlist_remove(&r->in_space);
	r->space = s;
	if (s)
		vlist_insert(&s->regions, &r->in_space);
}

void region_setup(struct region *r, struct space *s, uint32_t start, uint32_t size,
		  uint32_t prot)
{
	r->start_va = start;
	r->size = size;
	r->prot = prot;
	attach(r, s);
}

int region_dirty_start(struct region *r)
{
	uint32_t bytes = region_dirty_words(r) * 4;
	if (space_charge(&r->dirty_charge, bytes))
		return FLUKE_NO_MEMORY;
	if (!(r->dirty = kmem_alloc(bytes))) {	/* zeroed */
		space_uncharge(&r->dirty_charge, bytes);
		return FLUKE_NO_MEMORY;
	}
	vm_revoke_region(r, 0, r->size);
	return 0;
}

void region_dirty_clear(struct region *r, uint32_t first, const uint32_t *bits, uint32_t n)
{
	for (uint32_t w = 0; w < n; w++) {
		r->dirty[first + w] &= ~bits[w];
		/* Each run of set bits: one revocation. */
		for (uint32_t b = 0, m = bits[w]; m; ) {
			while (!(m & 1))
				m >>= 1, b++;
			uint32_t len = 0;
			while (m & 1)
				m >>= 1, len++;
			vm_revoke_region(r, ((first + w) * 32 + b) * PAGE_SIZE, len * PAGE_SIZE);
			b += len;
		}
	}
}

/* Tracking ends (the next region_dirty starts it again, reporting every page). */
static void dirty_stop(struct region *r)
{
	if (!r->dirty)
		return;
	kmem_free(r->dirty, region_dirty_words(r) * 4);
	space_uncharge(&r->dirty_charge, region_dirty_words(r) * 4);
	r->dirty = NULL;
}

int region_protect(struct region *r, uint32_t prot)
{
	if (prot & ~FLUKE_PROT_ALL)
		return FLUKE_INSANITY_INVALID_PROT;
	vm_revoke_region(r, 0, r->size);
	r->prot = prot;
	return 0;
}

static void region_destroy(struct object *ob)
{
	struct region *r = (struct region *)ob;
	vm_revoke_region(r, 0, r->size);
	while (r->mappings) {
		struct mapping *m = VLIST_ENTRY(r->mappings, struct mapping, in_region);
		vlist_remove(&m->in_region);
		m->region = NULL;
	}
	dirty_stop(r);
	attach(r, NULL);
	link_set(&r->keeper, NULL);
}

static int region_get_state(struct object *ob, void *state, struct object **links)
{
	struct region *r = (struct region *)ob;
	fluke_region_state_t *st = state;
	st->start_va = r->start_va;
	st->size = r->size;
	st->prot = r->prot;
	links[0] = r->space && r->space != &phys_space ? &r->space->ob : NULL;
	links[1] = r->keeper.target;
	return 0;
}

static int region_set_state(struct object *ob, const void *state, struct object *const *links,
			    unsigned given)
{
	struct region *r = (struct region *)ob;
	const fluke_region_state_t *st = state;
	struct space *s = given & 1 ? (struct space *)links[0] : r->space;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_SPACE)
		return FLUKE_INSANITY_NOT_SPACE;
	if ((given & 2) && links[1] && links[1]->type != FLUKE_TYPE_PORT)
		return FLUKE_INSANITY_NOT_PORT;
	uint32_t start = st ? st->start_va : r->start_va, size = st ? st->size : r->size;
	int code = vm_check_range(s, start, size, st ? st->prot : r->prot);
	if (code)
		return code;
	/* The kernel gave this physical range: it may not grow or move. */
	if (s == &phys_space && (start != r->start_va || size != r->size))
		return FLUKE_INSANITY_INVALID_STATE;
	vm_revoke_region(r, 0, r->size);
	if (s != r->space || start != r->start_va || size != r->size)
		dirty_stop(r);
	region_setup(r, s, start, size, st ? st->prot : r->prot);
	if (given & 2)
		link_set(&r->keeper, links[1]);
	return 0;
}

const struct object_ops region_ops = {
	.size = sizeof(struct region),
	.state_size = sizeof(fluke_region_state_t),
	.nlinks = 2,
	.referencable = 1,
	.destroy = region_destroy,
	.get_state = region_get_state,
	.set_state = region_set_state,
};
