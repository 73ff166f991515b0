/*
 * The pager's areas and its fault handler (the picture and the invariants are in
 * pager.h). Each area's regions carry hashes of the pager's choosing, HASH_BASE +
 * 2 * index (R) and + 1 (V), so a keeper request's region reference finds its
 * area at once; the reference itself is then compared, so no other region can
 * pass for it. The fault thread serves every request alone, under pager_lock:
 * one request at a time, so a page is never brought in twice.
 *
 * The fault thread never calls malloc (the monitor library's threads call it
 * under the monitor's lock, which the fault thread does not take): its struct
 * pages come from a spare list that area_new, under both locks, keeps at least
 * as long as the area pages that hold none. Since every page has a sharer, a
 * spare is there whenever a touch or a copy wants one.
 */
#include "pager.h"
#include <fluke/keeper.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AREAS	512
#define AREA_VA		0x40000000u	/* where areas live in the pager's space */
#define AREA_END	0xb0000000u
#define HASH_BASE	0x9a900000u
#define PROT_CLEAN	(FLUKE_PROT_READ | FLUKE_PROT_EXEC)

fluke_mutex_t pager_lock;
struct pager_stats stats;
fluke_ref_t fault_port_ref;
static fluke_pset_t fault_pset;
static fluke_port_t fault_port;
static struct area *areas[MAX_AREAS];
static struct page *spares;		/* linked by sharers */
static uint32_t pages_made, apages;	/* struct pages made; area pages live */

/* Make struct pages until there are as many as area pages (with npages more). */
static int pages_reserve(uint32_t npages)
{
	if (apages + npages <= pages_made)
		return 0;
	uint32_t n = apages + npages - pages_made;
	struct page *more = malloc(n * sizeof(*more));
	if (!more)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		more[i].sharers = (struct apage *)spares;
		spares = &more[i];
	}
	pages_made += n;
	return 0;
}

/* A spare struct page, holding nothing: never NULL (pages_reserve). */
static struct page *page_new(void)
{
	struct page *p = spares;
	spares = (struct page *)p->sharers;
	*p = (struct page){ .frame = NONE, .slot = NONE };
	return p;
}

static void page_free(struct page *p)
{
	p->sharers = (struct apage *)spares;
	spares = p;
}

int vm_init(void)
{
	static fluke_ref_t pset_ref;
	fluke_mutex_create(&pager_lock);
	fluke_pset_create(&fault_pset);
	fluke_ref_create(&pset_ref);
	fluke_pset_reference(&fault_pset, &pset_ref);
	fluke_port_state_t ps = { .alias = 0 };
	fluke_port_create(&fault_port);
	fluke_port_set_state(&fault_port, &ps, &pset_ref);
	fluke_ref_create(&fault_port_ref);
	return fluke_port_reference(&fault_port, &fault_port_ref);
}

uint32_t vm_backed(void)
{
	return frames_dirty() + slots_used;
}

uint32_t vm_capacity(void)
{
	return nframes + nslots;
}

/* The lowest address of the area range where npages fit between the live areas;
 * 0 if none. */
static uint32_t find_va(uint32_t npages)
{
	uint32_t va = AREA_VA, size = npages * PAGE;
	for (int moved = 1; moved;) {
		moved = 0;
		if (size > AREA_END - va)
			return 0;
		for (uint32_t i = 0; i < MAX_AREAS; i++) {
			struct area *a = areas[i];
			if (a && a->va < va + size && va < a->va + a->npages * PAGE) {
				va = a->va + a->npages * PAGE;
				moved = 1;
			}
		}
	}
	return va;
}

/* A region of ours over [va, va + size) kept by the fault port, with hash. */
static void keep_region(fluke_region_t *r, fluke_ref_t *ref, uint32_t hash, uint32_t va,
			uint32_t size)
{
	fluke_region_state_t rs = { 0, va, size, FLUKE_PROT_ALL };
	fluke_region_create_hash(r, hash);
	fluke_region_set_state(r, &rs, fluke_self_space(), &fault_port_ref);
	fluke_ref_create(ref);
	fluke_region_reference(r, ref);
}

int area_new(uint32_t client, uint32_t request, uint32_t npages, struct area **out)
{
	uint32_t i = 0, va = find_va(npages);
	while (i < MAX_AREAS && areas[i])
		i++;
	if (i == MAX_AREAS || !va || npages > (AREA_END - AREA_VA) / PAGE)
		return FLUKE_NO_MEMORY;
	struct area *a = malloc(sizeof(*a));
	struct apage *pages = malloc(npages * sizeof(*pages));
	if (!a || !pages || pages_reserve(npages) < 0) {
		free(a);
		free(pages);
		return FLUKE_NO_MEMORY;
	}
	memset(pages, 0, npages * sizeof(*pages));
	for (uint32_t n = 0; n < npages; n++)
		pages[n].area = a;
	*a = (struct area){ .va = va, .npages = npages, .client = client, .request = request,
			    .index = i, .pages = pages };
	keep_region(&a->r, &a->r_ref, HASH_BASE + 2 * i, va, npages * PAGE);
	keep_region(&a->v, &a->v_ref, HASH_BASE + 2 * i + 1, (uint32_t)pool, nframes * PAGE);
	areas[i] = a;
	apages += npages;
	*out = a;
	return FLUKE_SUCCESS;
}

struct area *area_find(uint32_t client, const fluke_ref_t *ref, uint32_t request)
{
	for (uint32_t i = 0; i < MAX_AREAS; i++) {
		struct area *a = areas[i];
		if (a && (a->client == client || (ref && client == NONE)) &&
		    (ref ? fluke_ref_compare(ref, &a->r_ref) : request && a->request == request))
			return a;
	}
	return 0;
}

uint32_t area_bytes(uint32_t client)
{
	uint32_t bytes = 0;
	for (uint32_t i = 0; i < MAX_AREAS; i++)
		if (areas[i] && areas[i]->client == client)
			bytes += areas[i]->npages * PAGE;
	return bytes;
}

static void attach(struct apage *ap, struct page *p)
{
	ap->page = p;
	ap->next = p->sharers;
	p->sharers = ap;
	p->refs++;
}

static void unmap(struct apage *ap)
{
	if (ap->mapped) {
		fluke_mapping_destroy(&ap->map);
		ap->mapped = 0;
	}
}

/* ap lets go of its page (unmapped first); the last sharer frees it. */
static void detach(struct apage *ap)
{
	struct page *p = ap->page;
	struct apage **pp = &p->sharers;
	unmap(ap);
	while (*pp != ap)
		pp = &(*pp)->next;
	*pp = ap->next;
	ap->page = 0;
	if (--p->refs == 0) {
		if (p->frame != NONE)
			frame_put(p->frame);
		if (p->slot != NONE)
			slot_put(p->slot);
		page_free(p);
	}
}

void area_free(struct area *a)
{
	fluke_region_destroy(&a->r);	/* first: the child loses every page at once */
	for (uint32_t i = 0; i < a->npages; i++)
		if (a->pages[i].page)
			detach(&a->pages[i]);
	fluke_region_destroy(&a->v);
	fluke_ref_destroy(&a->r_ref);
	fluke_ref_destroy(&a->v_ref);
	areas[a->index] = 0;
	apages -= a->npages;
	free(a->pages);
	free(a);
}

void area_free_client(uint32_t client)
{
	for (uint32_t i = 0; i < MAX_AREAS; i++)
		if (areas[i] && areas[i]->client == client)
			area_free(areas[i]);
}

/* The protection ap's page is mapped with: writable only when a write cannot
 * need the pager (dirty already, and nobody else's). */
static uint32_t prot_of(const struct page *p)
{
	return p->dirty && p->refs == 1 ? FLUKE_PROT_ALL : PROT_CLEAN;
}

/* Map ap's resident page into its area with prot; the touch sets the frame's
 * reference bit. */
static int map(struct apage *ap, uint32_t prot)
{
	struct area *a = ap->area;
	uint32_t f = ap->page->frame;
	frames[f].ref = 1;
	if (ap->mapped)
		return fluke_mapping_protect(&ap->map, prot);
	fluke_mapping_state_t ms = { 0, f * PAGE, a->va + (uint32_t)(ap - a->pages) * PAGE, PAGE,
				     prot };
	int rc = fluke_mapping_create(&ap->map);
	if (rc != FLUKE_SUCCESS)
		return rc;
	ap->mapped = 1;
	return fluke_mapping_set_state(&ap->map, &ms, &a->v_ref, fluke_self_space());
}

/* Fill frame f with what page p holds while not resident: its slot, or zeros. */
static int fill(uint32_t f, const struct page *p)
{
	if (p->slot == NONE) {
		page_zero(frame_va(f));
		stats.zero++;
		return 0;
	}
	if (swap_in(p->slot, frame_va(f)) < 0)
		return -1;
	stats.swapin++;
	return 0;
}

/* Give frame f (pinned, fresh) to page p. */
static void give(struct page *p, uint32_t f)
{
	p->frame = f;
	frames[f].page = p;
	frames[f].pinned = 0;
}

/* No frame for p, which is in swap, because every frame holds a page whose only
 * copy it is and no slot is free: trade p's slot for a frame. p goes to the
 * bounce page, its slot is freed for the clock to evict a page into, and p takes
 * that frame, dirty (its only copy now). NONE if that fails too. */
static uint32_t trade_slot(struct page *p)
{
	static char bounce[PAGE] __attribute__((aligned(16)));
	uint32_t slot = p->slot;
	if (swap_in(slot, bounce) < 0)
		return NONE;
	slot_put(slot);
	uint32_t f = frame_get();
	if (f == NONE) {
		slot_keep(slot);	/* it still holds p */
		return NONE;
	}
	page_copy(frame_va(f), bounce);
	p->slot = NONE;
	stats.swapin++;
	return f;
}

/* Make p resident. 0, or -1 if no frame can be had or swap fails. */
static int page_in(struct page *p)
{
	uint32_t f = frame_get();
	if (f == NONE && p->slot != NONE && (f = trade_slot(p)) != NONE) {
		give(p, f);
		p->dirty = 1;
		return 0;
	}
	if (f == NONE)
		return -1;
	if (fill(f, p) < 0) {
		frame_put(f);
		return -1;
	}
	give(p, f);
	p->dirty = 0;
	return 0;
}

/* A write to ap's page, which other areas share: ap gets a private copy,
 * dirty and writable; the others keep the original. */
static int copy_on_write(struct apage *ap)
{
	/* LAB 2: BEGIN SOLUTION */
	struct page *p = ap->page, *q;
	if (p->frame != NONE)
		frames[p->frame].pinned = 1;	/* the frame we copy from stays */
	uint32_t f = frame_get();
	int rc = f == NONE ? -1 : 0;
	if (rc == 0 && p->frame != NONE)
		page_copy(frame_va(f), frame_va(p->frame));
	else if (rc == 0)
		rc = fill(f, p);
	if (p->frame != NONE)
		frames[p->frame].pinned = 0;
	if (rc < 0) {
		if (f != NONE)
			frame_put(f);
		return -1;
	}
	detach(ap);		/* ap holds no page now: a spare is there */
	q = page_new();
	q->dirty = 1;
	give(q, f);
	attach(ap, q);
	stats.cow++;
	return map(ap, FLUKE_PROT_ALL);
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)ap;
	//| return -1;
	/* LAB 2: END */
}

int area_copy(struct area *a, uint32_t client, uint32_t request, struct area **out)
{
	struct area *b;
	int rc = area_new(client, request, a->npages, &b);
	if (rc != FLUKE_SUCCESS)
		return rc;
	/* LAB 2: BEGIN SOLUTION */
	for (uint32_t i = 0; i < a->npages; i++) {
		struct apage *ap = &a->pages[i];
		if (!ap->page)
			continue;	/* untouched: zeros on both sides, nothing to share */
		attach(&b->pages[i], ap->page);
		/* Objects never evict, so a page holding some is resident. */
		if (ap->page->frame != NONE && frame_has_objects(ap->page->frame)) {
			if (copy_on_write(&b->pages[i]) < 0) {
				area_free(b);
				return FLUKE_NO_MEMORY;
			}
			continue;
		}
		if (ap->mapped)
			fluke_mapping_protect(&ap->map, PROT_CLEAN);
	}
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here: share a's pages with b */
	/* LAB 2: END */
	*out = b;
	return FLUKE_SUCCESS;
}

/* The fault handler: a touch (write or not) of page i of area a, which has no
 * mapping there, or a write to it through a read-only one. Bring the page in
 * (zeros on a first touch, else from swap), copy it if the write finds it
 * shared, and map it with the protection its state allows. 0, or -1 if it
 * cannot be backed. */
static int touch(struct area *a, uint32_t i, int write)
{
	/* LAB 2: BEGIN SOLUTION */
	struct apage *ap = &a->pages[i];
	if (!ap->page)
		attach(ap, page_new());
	struct page *p = ap->page;
	if (write && p->refs > 1)
		return copy_on_write(ap);
	if (p->frame == NONE && page_in(p) < 0)
		return -1;
	if (write)
		p->dirty = 1;
	return map(ap, prot_of(p));
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)a, (void)i, (void)write, (void)prot_of, (void)map, (void)page_in;
	//| (void)attach, (void)copy_on_write, (void)page_new;
	//| return -1;
	/* LAB 2: END */
}

/* A keeper request: 0 when the page is there now (the thread retries), -1 when
 * it cannot be (the fault becomes the thread's exception, which its monitor
 * reports). */
static int fault(const fluke_keeper_msg_t *k, const fluke_ref_t *region)
{
	uint32_t h = fluke_ref_hash(region) - HASH_BASE, i = h / 2;
	struct area *a = i < MAX_AREAS ? areas[i] : 0;
	int write = (k->access & FLUKE_PROT_WRITE) != 0;
	if (k->kind != FLUKE_KEEPER_PAGE_FAULT || !a)
		return -1;
	stats.faults++;
	if (h % 2 == 0) {
		/* In R: no mapping in the area there (a child's own read-only mapping
		 * refusing a write is the child's business: its exception). */
		if (!fluke_ref_compare(region, &a->r_ref) || k->why != FLUKE_FAULT_NO_MAPPING ||
		    k->offset >= a->npages * PAGE)
			return -1;
		return touch(a, k->offset / PAGE, write);
	}
	/* In V: a write through a clean or shared page's read-only mapping. */
	uint32_t f = k->offset / PAGE;
	if (!fluke_ref_compare(region, &a->v_ref))
		return -1;
	if (f >= nframes || !frames[f].page)
		return 0;		/* gone meanwhile: the retry finds out what now */
	struct apage *ap = frames[f].page->sharers;
	while (ap && ap->area != a)
		ap = ap->next;
	return ap ? touch(a, (uint32_t)(ap - a->pages), write) : 0;
}

void vm_serve(void *arg)
{
	static fluke_keeper_msg_t msg;
	static fluke_ref_t thread, region;
	int answer = 0;
	uint32_t verdict = 0;
	(void)arg;
	fluke_ref_create(&thread);
	fluke_ref_create(&region);
	for (;;) {
		if (fluke_keeper_next(&fault_pset, answer, verdict, &msg, &thread, &region) != 0) {
			answer = 0;
			continue;
		}
		fluke_mutex_lock(&pager_lock);
		verdict = fault(&msg, &region) == 0 ? 0 : 1;
		stats.refused += verdict;
		fluke_mutex_unlock(&pager_lock);
		answer = 1;
	}
}
