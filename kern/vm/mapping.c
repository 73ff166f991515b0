/*
 * Mappings: a region's range imported into a space. A mapping is in its space's
 * list only while both are set; changing or destroying it first revokes the
 * translations its space (and every space derived from that range) cached.
 */
#include "vm/region.h"
#include "vm/mtree.h"
#include "vm/space.h"
#include "vm/translate.h"
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

struct mapping *mapping_at(struct space *s, uint32_t va)
{
	struct mapping *m = mtree_floor(s->by_va, va);
	return m && va - m->start_va < m->size ? m : NULL;
}

/* Whether [start, start + size) (size > 0) overlaps a mapping in s's tree. Of the
 * mappings starting before its end, the last one ends last (they are disjoint):
 * it alone can reach into the range. */
static int overlaps(struct space *s, uint32_t start, uint32_t size)
{
	struct mapping *m = mtree_floor(s->by_va, (uint32_t)((uint64_t)start + size - 1));
	return m && (uint64_t)m->start_va + m->size > start;
}

static int in_tree(const struct mapping *m)
{
	return m->space && m->size;
}

int mapping_setup(struct mapping *m, struct region *r, struct space *s, uint32_t region_off,
		  uint32_t start_va, uint32_t size, uint32_t prot)
{
	int code = vm_check_range(s, start_va, size, prot);
	if (!code && (region_off & (PAGE_SIZE - 1)))
		code = FLUKE_INSANITY_NOT_ALIGNED;
	if (!code && (uint64_t)region_off + size > 0x100000000ull)
		code = FLUKE_INSANITY_INVALID_ADDRESS;
	if (in_tree(m))		/* out while its new place is checked */
		mtree_remove(&m->space->by_va, m);
	if (!code && s && size && overlaps(s, start_va, size))
		code = FLUKE_INSANITY_ADDRESS_OVERLAP;
	if (code) {
		if (in_tree(m))
			mtree_insert(&m->space->by_va, m);
		return code;
	}
	if (m->space)
		vm_revoke_space(m->space, m->start_va, m->size);
	vlist_remove(&m->in_region);
	vlist_remove(&m->in_space);
	m->region = r;
	m->space = s;
	m->region_off = region_off;
	m->start_va = start_va;
	m->size = size;
	m->prot = prot;
	if (r)
		vlist_insert(&r->mappings, &m->in_region);
	if (s)
		vlist_insert(&s->mappings, &m->in_space);
	if (in_tree(m))
		mtree_insert(&s->by_va, m);
	return 0;
}

int mapping_protect(struct mapping *m, uint32_t prot)
{
	if (prot & ~FLUKE_PROT_ALL)
		return FLUKE_INSANITY_INVALID_PROT;
	if (m->space)
		vm_revoke_space(m->space, m->start_va, m->size);
	m->prot = prot;
	return 0;
}

static void mapping_destroy(struct object *ob)
{
	struct mapping *m = (struct mapping *)ob;
	mapping_setup(m, NULL, NULL, 0, 0, 0, 0);
}

static int mapping_get_state(struct object *ob, void *state, struct object **links)
{
	struct mapping *m = (struct mapping *)ob;
	fluke_mapping_state_t *st = state;
	st->region_off = m->region_off;
	st->start_va = m->start_va;
	st->size = m->size;
	st->prot = m->prot;
	links[0] = m->region ? &m->region->ob : NULL;
	links[1] = m->space ? &m->space->ob : NULL;
	return 0;
}

static int mapping_set_state(struct object *ob, const void *state, struct object *const *links,
			     unsigned given)
{
	struct mapping *m = (struct mapping *)ob;
	const fluke_mapping_state_t *st = state;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_REGION)
		return FLUKE_INSANITY_NOT_REGION;
	if ((given & 2) && links[1] && links[1]->type != FLUKE_TYPE_SPACE)
		return FLUKE_INSANITY_NOT_SPACE;
	return mapping_setup(m, given & 1 ? (struct region *)links[0] : m->region,
			     given & 2 ? (struct space *)links[1] : m->space,
			     st ? st->region_off : m->region_off, st ? st->start_va : m->start_va,
			     st ? st->size : m->size, st ? st->prot : m->prot);
}

const struct object_ops mapping_ops = {
	.size = sizeof(struct mapping),
	.state_size = sizeof(fluke_mapping_state_t),
	.nlinks = 2,
	.referencable = 0,
	.destroy = mapping_destroy,
	.get_state = mapping_get_state,
	.set_state = mapping_set_state,
};
