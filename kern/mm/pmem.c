/*
 * The page array sits at free_start, right after everything the boot loader put in
 * memory. Pages below 1 MiB (BIOS data, VGA, ROMs) and below the end of the page
 * array are reserved for good.
 */
#include "mm/pmem.h"
#include "debug/panic.h"
#include <string.h>

static struct page *pages;
static uint32_t npages, nfree;
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
	/* Push in descending order so allocation starts from low addresses. */
	for (uint32_t i = npages; i-- > 0;) {
		paddr_t pa = i * PAGE_SIZE;
		if (pa < 0x100000 || pa < first_free) {
			pages[i].reserved = 1;
			continue;
		}
		pages[i].next = free_list;
		free_list = &pages[i];
		nfree++;
	}
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
