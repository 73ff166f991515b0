/*
 * Physical page allocator. Every page of RAM the kernel may hand out has a struct
 * page; free pages form a list. Pages are always zeroed when allocated.
 */
#ifndef KERN_MM_PMEM_H
#define KERN_MM_PMEM_H

#include "arch/mmu.h"

struct page {
	/* While free: the free list link (prev unused). While the small-object
	 * allocator holds the page (kern/mm/kmem.c) and it has a free chunk: the links
	 * of its size class's list of such pages. */
	struct page *next, *prev;
	void *kmem_free;	/* kmem: the page's first free chunk, or NULL */
	uint16_t kmem_used;	/* kmem: chunks in use; a page kmem holds has one or more */
	uint16_t refs;		/* mappings and kernel uses; 0 while free */
	uint16_t reserved;	/* never allocated: firmware, kernel image, boot file system,
				 * the first task's memory */
	uint16_t objects;	/* live kernel objects in this page (kern/object); 0 when freed */
};

/* Take the kernel's pool from [0, mem_top) and set the rest aside for the first
 * task; free_start is the first physical address past the kernel and boot file
 * system. */
void pmem_init(paddr_t mem_top, paddr_t free_start);
/* A zeroed page, or 0 when memory is exhausted. */
paddr_t page_alloc(void);
/* Free a page; it must hold no objects (destroy them first: object_destroy_page). */
void page_free(paddr_t pa);
struct page *page_info(paddr_t pa);
uint32_t pmem_free_pages(void);
uint32_t pmem_total_pages(void);
/* Pages in the kernel's pool (free or not). */
uint32_t pmem_pool_pages(void);
/* The physical memory given to the first task: [*lo, *hi), maybe empty. */
void pmem_user_range(paddr_t *lo, paddr_t *hi);
/* Live kernel objects, counted from every page's objects (for leak tests). */
uint32_t pmem_live_objects(void);

#endif
