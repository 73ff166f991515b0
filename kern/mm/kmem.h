/*
 * Small kernel allocations (kernel halves of objects, bookkeeping) carved from
 * whole pages in power-of-two size classes of 16 to 2048 bytes. Memory is zeroed.
 * A page whose chunks are all free goes back to the page pool (mm/pmem.h).
 */
#ifndef KERN_MM_KMEM_H
#define KERN_MM_KMEM_H

#include <stddef.h>
#include <stdint.h>

void *kmem_alloc(size_t size);		/* NULL when memory is exhausted */
void kmem_free(void *p, size_t size);	/* size as passed to kmem_alloc */
/* Pages the allocator holds (each with a chunk in use) and chunk bytes in use. */
void kmem_stats(uint32_t *pages, uint32_t *bytes);

#endif
