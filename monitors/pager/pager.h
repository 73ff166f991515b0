/*
 * The demand pager's parts (monitors/pager): the memory it hands out (vm.c),
 * the frames and their clock (frames.c), the swap area (swap.c), and the monitor
 * around them (pager.c).
 *
 * The picture. Each MemPool region the pager grants is an *area*: a range of the
 * pager's own space, [va, va + npages pages), with nothing mapped in it, exported
 * by a region R whose keeper is the pager's fault port. A child's first touch of
 * a page stops there (no mapping) and arrives as a keeper request; the pager
 * gives the page a *frame* (a page of its frame pool, the memory it got from its
 * parent at start: the resident-frame budget) and maps it into the area at that
 * spot through the area's view V, a region over the whole frame pool whose keeper
 * is the fault port too. The mapping's protection is the page's state: READ
 * (clean, or shared copy-on-write) or ALL (dirty and private), so the first write
 * to a clean or shared page stops at V (beyond the mapping's protection) and
 * arrives as a second kind of request. Destroying the mapping takes the page from
 * every space that derives from the area, at any depth; the frame may stay
 * (the clock's reference bit: the next touch comes back) or go (eviction).
 *
 * Contents. A struct page is the contents of one page, shared by the areas that
 * hold it (refs: more than one after COPY, until each writes): resident in a
 * frame, or not; with a swap slot holding a copy, or not. A page neither resident
 * nor in swap is all zeros. dirty: resident and the frame differs from what the
 * page would be without it (its slot, or zeros).
 *
 * Invariants (under pager_lock, taken after the monitor's lock when both are):
 *  - a page's frame names it back (frames[f].page == p iff p->frame == f);
 *  - an area page (struct apage) is on its page's sharers list exactly while it
 *    holds the page, and p->refs counts that list;
 *  - an apage is mapped only while its page is resident, with protection ALL
 *    only if the page is dirty and refs == 1;
 *  - a frame with its reference bit clear has no mapping in any area (the clock
 *    takes the mappings away when it clears the bit), so its next touch sets it;
 *  - a frame that holds kernel objects is never evicted or reused (objects are
 *    keyed by the physical page: they would appear in another page's contents).
 */
#ifndef PAGER_H
#define PAGER_H

#include <fluke/space.h>
#include <fluke/mutex.h>
#include <fluke/rpc.h>
#include <fluke/abi/keeper.h>

#define PAGE		4096u
#define NONE		0xffffffffu
#define SECTORS_PER_PAGE (PAGE / 512)

struct apage;

struct page {
	uint32_t frame;			/* NONE: not resident */
	uint32_t slot;			/* NONE: no copy in swap */
	uint32_t refs;			/* the area pages that hold it */
	uint32_t dirty;
	struct apage *sharers;		/* they, linked by apage.next */
};

/* Page index of an area: 32 bytes, so the mapping object stays 16-aligned. */
struct apage {
	fluke_mapping_t map;		/* an object while mapped */
	struct page *page;		/* NULL: never touched (zeros) */
	struct apage *next;		/* the page's next sharer */
	struct area *area;
	uint32_t mapped;
};

struct area {
	fluke_region_t r;		/* exports [va, va + size) to the child */
	fluke_region_t v;		/* the frame pool, as this area's pages map it */
	fluke_ref_t r_ref, v_ref;
	uint32_t va, npages, client, request, index;
	struct apage *pages;
};

struct frame {
	struct page *page;		/* NULL: free */
	uint32_t ref;			/* touched since the clock last passed */
	uint32_t pinned;		/* in use by the request being served */
};

/* What the pager counts (METRIC pager at its end), under pager_lock. */
struct pager_stats {
	uint32_t faults, zero, cow, evict, swapin, swapout, refused;
};

extern fluke_mutex_t pager_lock;
extern struct pager_stats stats;

/* frames.c: the frame pool, nframes pages at pool (from the parent's MemPool). */
extern struct frame *frames;
extern uint32_t nframes;
extern char *pool;
int frames_init(uint32_t n);
static inline char *frame_va(uint32_t f)
{
	return pool + f * PAGE;
}
/* Fill or copy a whole page, a word at a time (libc's are byte loops: a quarter
 * of the instructions, on every zero-fill and copy-on-write). */
static inline void page_zero(void *page)
{
	uint32_t n = PAGE / 4;
	__asm__ volatile("rep stosl" : "+D"(page), "+c"(n) : "a"(0) : "memory");
}
static inline void page_copy(void *dst, const void *src)
{
	uint32_t n = PAGE / 4;
	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
/* A frame for a page (pinned, not yet named by a page): a free one, else one the
 * clock takes back (evicting its page); NONE when every frame is pinned, holds
 * objects or holds a dirty page that has no slot and no slot is free. */
uint32_t frame_get(void);
/* Whether kernel objects live in frame f. */
int frame_has_objects(uint32_t f);
/* The frame is free again; its objects are destroyed. */
void frame_put(uint32_t f);
/* Take every mapping of page p away (from every space deriving from them). */
void page_unmap(struct page *p);
/* Resident pages whose frame holds their only copy (dirty, and no slot). */
uint32_t frames_dirty(void);

/* swap.c: the swap area, nslots pages at the start of the parent's disk. */
extern uint32_t nslots, slots_used;
extern uint32_t disk_sectors, kept_sectors;	/* the parent's disk; kept for swap */
/* Set the swap area up: keep `want` sectors (NONE: half the disk) of the
 * parent's Block; 0, or -1 after saying why. No disk: no swap. */
int swap_init(uint32_t want);
uint32_t slot_get(void);			/* NONE if swap is full */
void slot_put(uint32_t slot);
void slot_keep(uint32_t slot);			/* take slot (free) again */
/* Page the frame's contents out to slot / in from it: 0 or -1. */
int swap_out(uint32_t slot, const char *frame);
int swap_in(uint32_t slot, char *frame);

/* vm.c: areas and faults. */
int vm_init(void);
/* Pages whose contents must be kept (a slot, or a frame that is their only
 * copy: clean pages without a slot are zeros, dropped when their frame is
 * wanted); pages that may be kept at most (frames and slots). */
uint32_t vm_backed(void);
uint32_t vm_capacity(void);
/* A new area of npages for client, made by request; its region's reference. */
int area_new(uint32_t client, uint32_t request, uint32_t npages, struct area **out);
/* Client's (NONE: anyone's) area whose region is ref, or client's made by
 * request (0: none); NULL if none. */
struct area *area_find(uint32_t client, const fluke_ref_t *ref, uint32_t request);
void area_free(struct area *a);
/* Every area of client. */
void area_free_client(uint32_t client);
/* Bytes of client's areas. */
uint32_t area_bytes(uint32_t client);
/* A copy-on-write copy of a for client, made by request: it shares a's pages,
 * but for those holding kernel objects, which it gets a copy of at once (the
 * objects stay a's: a write from a to a shared page would move a to a new
 * frame, and leave them behind). */
int area_copy(struct area *a, uint32_t client, uint32_t request, struct area **out);
/* The fault thread's loop (never returns). */
void vm_serve(void *arg);
/* The port set the keeper requests arrive at. */
extern fluke_ref_t fault_port_ref;

#endif
