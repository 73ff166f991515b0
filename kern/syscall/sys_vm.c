/* The memory calls: space_self, the protect calls, region_search and vm_stats. */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "vm/region.h"
#include "vm/search.h"
#include "vm/ioport.h"
#include "vm/space.h"
#include "vm/uaccess.h"
#include "mm/pmem.h"
#include "mm/kmem.h"
#include <fluke/abi/error.h>

#define SEARCH_CHUNK 16	/* entries found per pass, copied out between passes */

int sys_space_self(uint32_t ref)
{
	struct object *r;
	int code = object_find(current->space, ref, FLUKE_TYPE_REF, &r);
	if (code)
		return insanity(code);
	link_set(&((struct ref *)r)->link, &current->space->ob);
	return FLUKE_SUCCESS;
}

int sys_region_protect(uint32_t region, uint32_t prot)
{
	struct object *ob;
	int code = object_find(current->space, region, FLUKE_TYPE_REGION, &ob);
	if (!code)
		code = region_protect((struct region *)ob, prot);
	return code ? insanity(code) : FLUKE_SUCCESS;
}

int sys_mapping_protect(uint32_t mapping, uint32_t prot)
{
	struct object *ob;
	int code = object_find(current->space, mapping, FLUKE_TYPE_MAPPING, &ob);
	if (!code)
		code = mapping_protect((struct mapping *)ob, prot);
	return code ? insanity(code) : FLUKE_SUCCESS;
}

int sys_region_search(uint32_t region, uint32_t offset, uint32_t size, uint32_t entries,
		      uint32_t count)
{
	struct object *ob;
	int code = object_find(current->space, region, FLUKE_TYPE_REGION, &ob);
	if (code)
		return insanity(code);
	uint32_t off, max, n = 0;
	if (copy_from_user(current->space, &off, offset, sizeof(off)) < 0 ||
	    copy_from_user(current->space, &max, count, sizeof(max)) < 0)
		return FLUKE_BAD_ADDRESS;
	uint64_t end = (uint64_t)off + size;
	struct fluke_search_entry buf[SEARCH_CHUNK];
	uint32_t pages = FLUKE_SEARCH_PAGES;	/* the kernel is not preempted: a bounded walk */
	/* Every entry this call could write must be writable, found or not. */
	uint32_t most = region_search_most((struct region *)ob, off, end, pages);
	if (max < most)
		most = max;
	if (uaccess_check(current->space, entries, (size_t)most * sizeof(buf[0]), FLUKE_PROT_WRITE) < 0)
		return FLUKE_BAD_ADDRESS;
	while (n < max) {
		uint32_t room = max - n < SEARCH_CHUNK ? max - n : SEARCH_CHUNK;
		uint32_t got = region_search((struct region *)ob, &off, end, buf, room, &pages);
		if (copy_to_user(current->space, entries + n * sizeof(buf[0]), buf,
				 got * sizeof(buf[0])) < 0)
			return FLUKE_BAD_ADDRESS;
		n += got;
		if (got < room)
			break;
	}
	if (copy_to_user(current->space, offset, &off, sizeof(off)) < 0 ||
	    copy_to_user(current->space, count, &n, sizeof(n)) < 0)
		return FLUKE_BAD_ADDRESS;
	return FLUKE_SUCCESS;
}

/* A space is named here by a reference (the capability a parent holds to its
 * child, or space_self's to the caller's own), not by address: a program never
 * holds its own space object. */
int sys_space_io_permit(uint32_t space_ref, uint32_t first, uint32_t count, int allow)
{
	struct object *r;
	int code = object_find(current->space, space_ref, FLUKE_TYPE_REF, &r);
	if (code)
		return insanity(code);
	struct object *target = ((struct ref *)r)->link.target;
	if (!target || target->type != FLUKE_TYPE_SPACE)
		return insanity(FLUKE_INSANITY_NOT_SPACE);
	return ioport_permit(current->space, (struct space *)target, first, count, allow);
}

int sys_vm_stats(uint32_t stats)
{
	paddr_t lo, hi;
	pmem_user_range(&lo, &hi);
	struct fluke_vm_stats st = {
		.free_pages = pmem_free_pages(),
		.pool_pages = pmem_pool_pages(),
		.live_objects = pmem_live_objects(),
		.user_pages = (hi - lo) / PAGE_SIZE,
	};
	kmem_stats(&st.kmem_pages, &st.kmem_bytes);
	return copy_to_user(current->space, stats, &st, sizeof(st)) < 0 ? FLUKE_BAD_ADDRESS
									 : FLUKE_SUCCESS;
}
