/*
 * The page array sits at free_start, right after everything the boot loader put in
 * memory. Pages below 1 MiB (BIOS data, VGA, ROMs) and below the end of the page
 * array are reserved for good. Of the rest, the kernel keeps a pool of
 * max(4 MiB, RAM / 8) right after the page array for itself (page tables, kernel
 * stacks, kernel halves of objects); the pages above it, [user_lo, user_hi), are
 * reserved too: they belong to the first task (kern/init/roottask.c).
 */
#include "mm/pmem.h"
#include "debug/panic.h"
#include <string.h>

#define POOL_MIN (4u << 20)

static struct page *pages;
static uint32_t npages, nfree, npool;
static paddr_t user_lo, user_hi;
static struct page *free_list;

void pmem_init(paddr_t mem_top, paddr_t free_start)
{
	if (mem_top > DIRECTMAP_MAX)
		mem_top = DIRECTMAP_MAX;
	npages = mem_top / PAGE_SIZE;
	pages = P2V(PAGE_ROUND_UP(free_start));
	paddr_t first_free = PAGE_ROUND_UP(V2P(pages + npages));
	if (first_free >= mem_top)
		panic("no memory left after the kernel and boot file system");
	memset(pages, 0, npages * sizeof(*pages));
	paddr_t pool = mem_top / 8 > POOL_MIN ? PAGE_ROUND_DOWN(mem_top / 8) : POOL_MIN;
	user_lo = mem_top - first_free > pool ? first_free + pool : mem_top;
	user_hi = npages * PAGE_SIZE;
	/* Push in descending order so allocation starts from low addresses. */
	for (uint32_t i = npages; i-- > 0;) {
		paddr_t pa = i * PAGE_SIZE;
		if (pa < 0x100000 || pa < first_free || pa >= user_lo) {
			pages[i].reserved = 1;
			continue;
		}
		pages[i].next = free_list;
		free_list = &pages[i];
		nfree++;
	}
	npool = nfree;
}

paddr_t page_alloc(void)
{
	struct page *p = free_list;
	if (!p)
		return 0;
	free_list = p->next;
	p->next = NULL;
	p->refs = 1;
	nfree--;
	paddr_t pa = (p - pages) * PAGE_SIZE;
	memset(P2V(pa), 0, PAGE_SIZE);
	return pa;
}

void page_free(paddr_t pa)
{
	struct page *p = page_info(pa);
	assert(p && !p->reserved && p->refs == 1 && p->objects == 0);
	p->refs = 0;
	p->next = free_list;
	free_list = p;
	nfree++;
}

struct page *page_info(paddr_t pa)
{
	return pa / PAGE_SIZE < npages ? &pages[pa / PAGE_SIZE] : NULL;
}

uint32_t pmem_free_pages(void)
{
	return nfree;
}

uint32_t pmem_total_pages(void)
{
	return npages;
}

uint32_t pmem_pool_pages(void)
{
	return npool;
}

void pmem_user_range(paddr_t *lo, paddr_t *hi)
{
	*lo = user_lo;
	*hi = user_hi;
}

uint32_t pmem_live_objects(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < npages; i++)
		n += pages[i].objects;
	return n;
}
