/* The memory calls: space_self, the protect calls, region_search, region_dirty and
 * vm_stats. */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "vm/region.h"
#include "vm/search.h"
#include "vm/ioport.h"
#include "dev/irqwait.h"
#include "syscall/syscall.h"
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

/* The report goes out a chunk at a time, each chunk's bits cleared once it is out:
 * a write during the call (the report's own, if bits lies in memory derived through
 * the region) stays for the next report. bits is checked whole first, so nothing
 * changes before a call that fails (or asks a keeper and runs again). */
int sys_region_dirty(uint32_t region, uint32_t bits, uint32_t words)
{
	struct object *ob;
	int code = object_find(current->space, region, FLUKE_TYPE_REGION, &ob);
	if (code)
		return insanity(code);
	struct region *r = (struct region *)ob;
	uint32_t need = region_dirty_words(r), chunk[SEARCH_CHUNK];
	if (r->size / PAGE_SIZE > FLUKE_DIRTY_PAGES || words < need)
		return FLUKE_INVALID_ARGUMENT;
	if (uaccess_check(current->space, bits, need * 4, FLUKE_PROT_WRITE) < 0)
		return FLUKE_BAD_ADDRESS;
	int first = !r->dirty;	/* nothing was tracked: every page counts as written */
	if (need && first && (code = region_dirty_start(r)) != 0)
		return code;
	for (uint32_t w = 0; w < need; w += SEARCH_CHUNK) {
		uint32_t n = need - w < SEARCH_CHUNK ? need - w : SEARCH_CHUNK;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t page = (w + i) * 32, left = r->size / PAGE_SIZE - page;
			chunk[i] = !first ? r->dirty[w + i] : left >= 32 ? ~0u : (1u << left) - 1;
		}
		if (copy_to_user(current->space, bits + w * 4, chunk, n * 4) < 0)
			return FLUKE_BAD_ADDRESS;
		if (!first)
			region_dirty_clear(r, w, chunk, n);
	}
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

/* Sleeps until the device owning port raises its interrupt line (at once if it
 * has since the last io_wait on it), then runs again from unchanged registers;
 * a stopped and resumed driver simply waits again. */
int sys_io_wait(uint32_t port)
{
	int irq = irqwait_line(port);
	if (irq < 0)
		return FLUKE_INVALID_ARGUMENT;
	if (!ioport_held(current->space, port))
		return FLUKE_NOT_PERMITTED;
	if (irqwait_take(irq))
		return FLUKE_SUCCESS;
	if (thread_take_interrupt())
		return FLUKE_INTERRUPTED;
	irqwait_sleep(irq);
	return syscall_restart(current->tf);
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
