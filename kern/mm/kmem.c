/*
 * Each page the allocator takes from the pool serves one size class; its struct
 * page (mm/pmem.h) keeps its own list of free chunks and its count of chunks in use.
 * Invariants:
 *  - a page the allocator holds has at least one chunk in use: when its last chunk
 *    is freed it goes back to the pool at once, so after every allocation made is
 *    freed the free-page count is back where it was;
 *  - a held page is on partial[c] (c its class) iff it has a free chunk, and each of
 *    its free chunks is on its kmem_free list and nowhere else;
 *  - pages_held is the number of held pages, bytes_used the chunk bytes in use.
 */
#include "mm/kmem.h"
#include "mm/pmem.h"
#include "debug/panic.h"
#include <string.h>

#define MIN_SHIFT 4
#define MAX_SHIFT 11
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)

struct chunk {
	struct chunk *next;
};

static struct page *partial[NCLASSES];	/* held pages with a free chunk, per class */
static uint32_t pages_held;
static uint32_t bytes_used;

static int size_class(size_t size)
{
	int c = 0;
	while (((size_t)1 << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static void partial_insert(int c, struct page *p)
{
	p->prev = NULL;
	p->next = partial[c];
	if (p->next)
		p->next->prev = p;
	partial[c] = p;
}

static void partial_remove(int c, struct page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		partial[c] = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
}

/* A new page of class c, carved into free chunks and put on partial[c]; NULL when
 * the pool is empty. */
static struct page *carve(int c)
{
	paddr_t pa = page_alloc();
	if (!pa)
		return NULL;
	struct page *p = page_info(pa);
	size_t chunk = (size_t)1 << (c + MIN_SHIFT);
	for (size_t off = PAGE_SIZE; off > 0; off -= chunk) {
		struct chunk *ch = (struct chunk *)((char *)P2V(pa) + off - chunk);
		ch->next = p->kmem_free;
		p->kmem_free = ch;
	}
	pages_held++;
	partial_insert(c, p);
	return p;
}

void *kmem_alloc(size_t size)
{
	assert(size > 0 && size <= (1u << MAX_SHIFT));
	int c = size_class(size);
	struct page *p = partial[c] ? partial[c] : carve(c);
	if (!p)
		return NULL;
	struct chunk *ch = p->kmem_free;
	p->kmem_free = ch->next;
	p->kmem_used++;
	if (!p->kmem_free)
		partial_remove(c, p);
	bytes_used += (uint32_t)1 << (c + MIN_SHIFT);
	memset(ch, 0, size);
	return ch;
}

void kmem_free(void *ptr, size_t size)
{
	int c = size_class(size);
	paddr_t pa = PAGE_ROUND_DOWN(V2P(ptr));
	struct page *p = page_info(pa);
	struct chunk *ch = ptr;
	assert(p->kmem_used > 0);
	if (!p->kmem_free)
		partial_insert(c, p);
	ch->next = p->kmem_free;
	p->kmem_free = ch;
	bytes_used -= (uint32_t)1 << (c + MIN_SHIFT);
	if (--p->kmem_used == 0) {
		partial_remove(c, p);
		p->kmem_free = NULL;
		pages_held--;
		page_free(pa);
	}
}

void kmem_stats(uint32_t *pages, uint32_t *bytes)
{
	*pages = pages_held;
	*bytes = bytes_used;
}
