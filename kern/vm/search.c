/*
 * region_search: the objects living in a region's memory. Objects are keyed by
 * physical address, so the walk translates the range page by page (pages that do
 * not translate hold nothing reachable and are skipped) and looks up the slots of
 * each page that holds objects. A page the region's space has a present PTE for
 * is translated by it (it never says more than the graph does now: translate.c),
 * so a search of memory its own space uses costs no walk a page.
 */
#include "vm/search.h"
#include "vm/region.h"
#include "vm/translate.h"
#include "vm/space.h"
#include "mm/pmem.h"

/* The physical address of va of s into *pa: 0, or -1 if it does not translate. */
static int translate(struct space *s, uint32_t va, paddr_t *pa)
{
	uint32_t prot;
	pte_t *pte = s && s->pgdir ? space_pte(s, va, 0) : NULL;
	if (pte && (*pte & PTE_P)) {
		*pa = PTE_ADDR(*pte) | (va & (PAGE_SIZE - 1));
		return 0;
	}
	return vm_translate(s, va, 0, pa, &prot, NULL);
}

uint32_t region_search(struct region *r, uint32_t *off, uint64_t end,
		       struct fluke_search_entry *out, uint32_t max, uint32_t *pages)
{
	uint32_t n = 0;
	uint64_t o = *off & ~(FLUKE_OBJECT_SIZE - 1);
	if (end > r->size)
		end = r->size;
	while (o < end) {
		if (*pages == 0) {
			*off = (uint32_t)o;
			return n;
		}
		(*pages)--;
		uint64_t page_end = PAGE_ROUND_DOWN(o) + (uint64_t)PAGE_SIZE;
		paddr_t pa;
		struct page *pg = NULL;
		if (translate(r->space, r->start_va + (uint32_t)o, &pa) == 0)
			pg = page_info(pa);
		if (!pg || pg->objects == 0) {
			o = page_end;
			continue;
		}
		for (; o < page_end && o < end; o += FLUKE_OBJECT_SIZE, pa += FLUKE_OBJECT_SIZE) {
			struct object *ob = object_at(pa);
			if (!ob)
				continue;
			if (n == max) {
				*off = (uint32_t)o;
				return n;
			}
			out[n].va = r->start_va + (uint32_t)o;
			out[n].type = ob->type;
			n++;
		}
	}
	*off = (uint32_t)(end > *off ? end : *off);
	return n;
}

uint32_t region_search_most(struct region *r, uint32_t off, uint64_t end, uint32_t pages)
{
	uint64_t o = off & ~(FLUKE_OBJECT_SIZE - 1);
	if (end > r->size)
		end = r->size;
	if (o >= end)
		return 0;
	uint64_t slots = (end - o + FLUKE_OBJECT_SIZE - 1) / FLUKE_OBJECT_SIZE;
	uint64_t budget = (uint64_t)pages * (PAGE_SIZE / FLUKE_OBJECT_SIZE);
	return (uint32_t)(slots < budget ? slots : budget);
}
