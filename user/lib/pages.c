/* Page allocation (<fluke/pages.h>): the first task's free memory, or MemPool. */
#include <fluke/pages.h>
#include <fluke/start.h>
#include <fluke/abi/boot.h>
#include <fluke/mempool.h>
#include <fluke/space.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <string.h>

#define MAX_EXTENTS	64

/* Free extents of address space, sorted by address, never adjacent (put merges
 * neighbours): the first task's free pages, and the addresses a child's heap
 * has given back (so they are mapped again, and its page tables stop growing). */
struct extent { uint32_t va, npages; };
struct extents {
	struct extent e[MAX_EXTENTS];
	unsigned n;
};
static struct extents boot_free, heap_free;
static unsigned boot_ready;

/* The extents, made from the kernel's free area on first use. */
static void boot_init(void)
{
	if (!boot_ready) {
		struct fluke_boot_area *a = &fluke_boot()->areas[FLUKE_BOOT_FREE];
		if (a->size)
			boot_free.e[boot_free.n++] = (struct extent){ a->start_va,
								     a->size / FLUKE_PAGE_SIZE };
		boot_ready = 1;
	}
}

/* npages taken from the first extent that has them; 0 if none has. */
static uint32_t extent_get(struct extents *x, uint32_t npages)
{
	for (unsigned i = 0; i < x->n; i++) {
		if (x->e[i].npages < npages)
			continue;
		uint32_t va = x->e[i].va;
		x->e[i].va += npages * FLUKE_PAGE_SIZE;
		x->e[i].npages -= npages;
		if (x->e[i].npages == 0)
			memmove(&x->e[i], &x->e[i + 1], (--x->n - i) * sizeof(x->e[0]));
		return va;
	}
	return 0;
}

static void extent_put(struct extents *x, uint32_t va, uint32_t npages)
{
	unsigned i = 0;
	while (i < x->n && x->e[i].va < va)
		i++;
	uint32_t end = va + npages * FLUKE_PAGE_SIZE;
	int prev = i > 0 && x->e[i - 1].va + x->e[i - 1].npages * FLUKE_PAGE_SIZE == va;
	int next = i < x->n && x->e[i].va == end;
	if (prev && next) {
		x->e[i - 1].npages += npages + x->e[i].npages;
		memmove(&x->e[i], &x->e[i + 1], (--x->n - i) * sizeof(x->e[0]));
	} else if (prev) {
		x->e[i - 1].npages += npages;
	} else if (next) {
		x->e[i].va = va;
		x->e[i].npages += npages;
	} else if (x->n < MAX_EXTENTS) {
		memmove(&x->e[i + 1], &x->e[i], (x->n++ - i) * sizeof(x->e[0]));
		x->e[i] = (struct extent){ va, npages };
	}	/* else: too fragmented to remember; the pages are lost */
}

/* A child's pages: each allocation is one MemPool region and one mapping of it.
 * Slot i is in use when npages != 0. */
#define MAX_CHUNKS	64
static struct chunk {
	fluke_mapping_t mapping;
	fluke_ref_t region;
	uint32_t va, npages;
	uint32_t pad[2];
} chunks[MAX_CHUNKS];
static uint32_t heap_next = FLUKE_HEAP_VA;

static void *pool_get(uint32_t npages)
{
	uint32_t size = npages * FLUKE_PAGE_SIZE;
	struct chunk *c = chunks;
	while (c < chunks + MAX_CHUNKS && c->npages)
		c++;
	uint32_t va = extent_get(&heap_free, npages);
	if (c == chunks + MAX_CHUNKS || (!va && size > FLUKE_HEAP_END - heap_next)) {
		if (va)
			extent_put(&heap_free, va, npages);
		return 0;
	}
	fluke_ref_create(&c->region);
	if (fluke_mempool_get(size, &c->region) != FLUKE_SUCCESS) {
		fluke_ref_destroy(&c->region);
		if (va)
			extent_put(&heap_free, va, npages);
		return 0;
	}
	if (!va) {
		va = heap_next;
		heap_next += size;
	}
	fluke_mapping_state_t ms = { 0, 0, va, size, FLUKE_PROT_READ | FLUKE_PROT_WRITE |
				     FLUKE_PROT_CREATE_OB };
	fluke_mapping_create(&c->mapping);
	fluke_mapping_set_state(&c->mapping, &ms, &c->region, fluke_self_space());
	c->va = va;
	c->npages = npages;
	return (void *)c->va;
}

static void pool_put(uint32_t va)
{
	for (struct chunk *c = chunks; c < chunks + MAX_CHUNKS; c++) {
		if (c->npages && c->va == va) {
			fluke_mapping_destroy(&c->mapping);
			fluke_mempool_put(&c->region);
			fluke_ref_destroy(&c->region);
			extent_put(&heap_free, c->va, c->npages);
			c->npages = 0;
			return;
		}
	}
}

void *fluke_pages_get(uint32_t npages)
{
	if (npages == 0)
		return 0;
	if (fluke_boot()) {
		boot_init();
		return (void *)extent_get(&boot_free, npages);
	}
	return pool_get(npages);
}

void fluke_pages_put(void *va, uint32_t npages)
{
	if (fluke_boot())
		extent_put(&boot_free, (uint32_t)va, npages);
	else
		pool_put((uint32_t)va);
}

uint32_t fluke_pages_free(void)
{
	uint32_t n = 0;
	if (!fluke_boot())
		return 0;
	boot_init();
	for (unsigned i = 0; i < boot_free.n; i++)
		n += boot_free.e[i].npages;
	return n;
}

void fluke_pages_scrub(void *va, uint32_t size)
{
	fluke_region_t r;
	fluke_region_state_t rs = { 0, (uint32_t)va, size, FLUKE_PROT_ALL };
	fluke_search_entry_t found[16];
	fluke_region_create(&r);
	fluke_region_set_state(&r, &rs, fluke_self_space(), 0);
	uint32_t off = 0, n;
	do {
		n = 16;
		fluke_region_search(&r, &off, size - off, found, &n);
		for (uint32_t i = 0; i < n; i++)
			fluke_object_destroy((void *)found[i].va);
	} while (off < size);
	fluke_region_destroy(&r);
}
