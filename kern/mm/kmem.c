/* Invariant: a free chunk of class c is on free_chunks[c] and nowhere else. */
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

static struct chunk *free_chunks[NCLASSES];
static uint32_t pages_held;	/* pages carved into chunks (never given back) */
static uint32_t bytes_used;	/* chunk bytes allocated and not yet freed */

static int size_class(size_t size)
{
	int c = 0;
	while (((size_t)1 << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

void *kmem_alloc(size_t size)
{
	assert(size > 0 && size <= (1u << MAX_SHIFT));
	int c = size_class(size);
	if (!free_chunks[c]) {
		paddr_t pa = page_alloc();
		if (!pa)
			return NULL;
		pages_held++;
		size_t chunk = (size_t)1 << (c + MIN_SHIFT);
		for (size_t off = 0; off < PAGE_SIZE; off += chunk) {
			struct chunk *ch = (struct chunk *)((char *)P2V(pa) + off);
			ch->next = free_chunks[c];
			free_chunks[c] = ch;
		}
	}
	struct chunk *ch = free_chunks[c];
	free_chunks[c] = ch->next;
	bytes_used += (uint32_t)1 << (c + MIN_SHIFT);
	memset(ch, 0, size);
	return ch;
}

void kmem_free(void *p, size_t size)
{
	int c = size_class(size);
	struct chunk *ch = p;
	ch->next = free_chunks[c];
	free_chunks[c] = ch;
	bytes_used -= (uint32_t)1 << (c + MIN_SHIFT);
}

void kmem_stats(uint32_t *pages, uint32_t *bytes)
{
	*pages = pages_held;
	*bytes = bytes_used;
}
