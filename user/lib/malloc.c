/*
 * malloc and free over whole pages (<fluke/pages.h>). Every block starts with a
 * 16-byte header, so blocks are 16-byte aligned and may hold kernel objects.
 * Invariant: the free list is sorted by address and no two free blocks touch
 * (free merges neighbours).
 */
#include <stdlib.h>
#include <string.h>
#include <fluke/pages.h>

#define GROW_PAGES	16

struct block {
	uint32_t size;		/* bytes, header included, a multiple of 16 */
	struct block *next;	/* in the free list */
	uint32_t pad[2];
};

static struct block *free_list;

static void insert(struct block *b)
{
	struct block **pp = &free_list;
	while (*pp && *pp < b)
		pp = &(*pp)->next;
	b->next = *pp;
	*pp = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (pp != &free_list) {
		struct block *prev = (struct block *)((char *)pp - offsetof(struct block, next));
		if ((char *)prev + prev->size == (char *)b) {
			prev->size += b->size;
			prev->next = b->next;
		}
	}
}

void *malloc(size_t n)
{
	if (n == 0 || n > 0x10000000)
		return 0;
	uint32_t need = (n + sizeof(struct block) + 15) & ~15u;
	for (int tries = 0; tries < 2; tries++) {
		for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
			struct block *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= 2 * sizeof(struct block)) {
				struct block *rest = (struct block *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				b->size = need;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			return b + 1;
		}
		uint32_t pages = (need + FLUKE_PAGE_SIZE - 1) / FLUKE_PAGE_SIZE;
		if (pages < GROW_PAGES)
			pages = GROW_PAGES;
		struct block *more = fluke_pages_get(pages);
		if (!more)
			return 0;
		more->size = pages * FLUKE_PAGE_SIZE;
		insert(more);
	}
	return 0;
}

void *calloc(size_t count, size_t size)
{
	if (size && count > 0x10000000 / size)
		return 0;
	void *p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void free(void *p)
{
	if (p)
		insert((struct block *)p - 1);
}
