/*
 * Whole pages of memory for this program, readable, writable and allowing
 * objects. The first task carves them from the free memory the kernel gave it;
 * every other program gets each allocation from its parent's MemPool as a region
 * and maps it in [FLUKE_HEAP_VA, FLUKE_HEAP_END), at addresses given back
 * before if it can (so a long-running monitor's page tables stop growing),
 * else fresh ones.
 */
#ifndef FLUKE_PAGES_H
#define FLUKE_PAGES_H

#include <stdint.h>

#define FLUKE_PAGE_SIZE	4096u
#define FLUKE_HEAP_VA	0x10000000u
#define FLUKE_HEAP_END	0x30000000u

/* npages new pages (contents undefined), or NULL. */
void *fluke_pages_get(uint32_t npages);
/* Give back pages fluke_pages_get returned, whole. Objects in them must be gone. */
void fluke_pages_put(void *va, uint32_t npages);
/* The first task's free pages; 0 in any other program (its MemPool knows). */
uint32_t fluke_pages_free(void);
/* Destroy every object living in [va, va + size) (page aligned) of this space. */
void fluke_pages_scrub(void *va, uint32_t size);

#endif
