/* Helpers for reading objects out of a region and rebuilding them (<fluke/extract.h>). */
#include <fluke/extract.h>
#include <fluke/thread.h>
#include <fluke/abi/error.h>
#include <stddef.h>

int fluke_extract_links(uint32_t type)
{
	switch (type) {
	case FLUKE_TYPE_THREAD:
		return FLUKE_THREAD_LINKS;
	case FLUKE_TYPE_PSET:
		return 0;
	case FLUKE_TYPE_REGION:		/* the space it exports, its keeper */
	case FLUKE_TYPE_MAPPING:	/* the region it imports, its space */
		return 2;
	default:			/* space: keeper; port: pset; mutex, cond: the
					 * holder or waiter; ref: what it points to */
		return 1;
	}
}

int fluke_extract_settable(uint32_t type, int k)
{
	return k < fluke_extract_links(type) &&
	       !(type == FLUKE_TYPE_THREAD && k == FLUKE_THREAD_LINK_WAITING_FOR);
}

int fluke_extract_referencable(uint32_t type)
{
	return type != FLUKE_TYPE_REF && type != FLUKE_TYPE_MAPPING;
}

const char *fluke_extract_search(const fluke_region_t *r, uint32_t size,
				 fluke_search_entry_t *found, uint32_t max, uint32_t *n)
{
	uint32_t off = 0, total = 0;
	while (off < size) {
		if (total == max)
			return "more objects than an image holds";
		uint32_t got = max - total;
		if (fluke_region_search(r, &off, size - off, found + total, &got) != FLUKE_SUCCESS)
			return "region_search failed";
		total += got;
	}
	*n = total;
	return NULL;
}
