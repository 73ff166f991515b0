/*
 * The pager's frames: the resident-frame budget, nframes pages of memory it got
 * from its parent's MemPool at start, and the clock that takes one back when
 * none is free. Invariants (pager.h): a free frame is on the free stack and
 * names no page; a frame whose reference bit is clear has no mapping in any
 * area, so the clock learns of every touch since it last passed: the touch
 * faults, and the fault handler maps the page again and sets the bit.
 */
#include "pager.h"
#include <fluke/pages.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <stdlib.h>
#include <string.h>

struct frame *frames;
uint32_t nframes;
char *pool;
static uint32_t *free_stack, nfree;
static uint32_t hand;			/* the clock's hand: the next frame it looks at */
static fluke_region_t pool_region;	/* over the pool, for finding objects in a frame */

int frames_init(uint32_t n)
{
	pool = fluke_pages_get(n);
	frames = malloc(n * sizeof(*frames));
	free_stack = malloc(n * sizeof(*free_stack));
	if (!pool || !frames || !free_stack)
		return -1;
	memset(frames, 0, n * sizeof(*frames));
	nframes = n;
	for (nfree = 0; nfree < n; nfree++)
		free_stack[nfree] = n - 1 - nfree;
	fluke_region_state_t rs = { 0, (uint32_t)pool, n * PAGE, FLUKE_PROT_ALL };
	fluke_region_create(&pool_region);
	fluke_region_set_state(&pool_region, &rs, fluke_self_space(), 0);
	return 0;
}

int frame_has_objects(uint32_t f)
{
	fluke_search_entry_t e;
	uint32_t off = f * PAGE, n = 1;
	fluke_region_search(&pool_region, &off, PAGE, &e, &n);
	return n > 0;
}

void page_unmap(struct page *p)
{
	for (struct apage *ap = p->sharers; ap; ap = ap->next) {
		if (ap->mapped) {
			fluke_mapping_destroy(&ap->map);
			ap->mapped = 0;
		}
	}
}

/* Take frame f from its page: write the page to swap first if the frame holds
 * the only good copy. 0, or -1 if f cannot go (objects, or no slot for it). */
static int evict(uint32_t f)
{
	/* LAB 2: BEGIN SOLUTION */
	struct page *p = frames[f].page;
	if (frame_has_objects(f))
		return -1;
	page_unmap(p);
	if (p->dirty) {
		uint32_t slot = p->slot != NONE ? p->slot : slot_get();
		if (slot == NONE)
			return -1;
		if (swap_out(slot, frame_va(f)) < 0) {
			if (p->slot == NONE)
				slot_put(slot);
			return -1;
		}
		p->slot = slot;
		stats.swapout++;
	}
	p->frame = NONE;
	p->dirty = 0;
	frames[f].page = 0;
	stats.evict++;
	return 0;
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)f, (void)frame_has_objects;
	//| return -1;
	/* LAB 2: END */
}

/* The eviction policy, a clock (second chance): the hand goes round the frames;
 * a frame touched since the hand last passed gets a second chance (its bit is
 * cleared and its mappings taken away, so the next touch sets it again); one not
 * touched is evicted. Pinned frames and frames that cannot go are passed over;
 * a dirty page with no slot while swap is full is passed over before its bit is
 * looked at (its second chance would cost a fault and win nothing).
 * The victim, evicted and pinned, or NONE after two turns without one. */
static uint32_t clock_victim(void)
{
	/* LAB 2: BEGIN SOLUTION */
	for (uint32_t n = 0; n < 2 * nframes; n++) {
		uint32_t f = hand;
		struct frame *fr = &frames[f];
		hand = (hand + 1) % nframes;
		if (fr->pinned || !fr->page)
			continue;
		/* A page whose frame is its only copy, with no slot to go to, keeps
		 * its bit and mappings: with no frame able to go, every refused
		 * fault would take every mapping away, and the monitor that must
		 * hear of the refusal, if the pager backs it too, would fault in its
		 * receive, and the refused fault be retried, for ever. */
		if (fr->page->dirty && fr->page->slot == NONE && slots_used == nslots)
			continue;
		if (fr->ref) {
			fr->ref = 0;
			page_unmap(fr->page);
			continue;
		}
		if (evict(f) == 0) {
			fr->pinned = 1;
			return f;
		}
	}
	return NONE;
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)hand, (void)evict;
	//| return NONE;
	/* LAB 2: END */
}

uint32_t frame_get(void)
{
	if (nfree > 0) {
		uint32_t f = free_stack[--nfree];
		frames[f].pinned = 1;
		return f;
	}
	return clock_victim();
}

void frame_put(uint32_t f)
{
	if (frame_has_objects(f))
		fluke_pages_scrub(frame_va(f), PAGE);
	frames[f] = (struct frame){ 0, 0, 0 };
	free_stack[nfree++] = f;
}

uint32_t frames_dirty(void)
{
	uint32_t n = 0;
	for (uint32_t f = 0; f < nframes; f++)
		n += frames[f].page && frames[f].page->dirty && frames[f].page->slot == NONE;
	return n;
}
