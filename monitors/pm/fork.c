/*
 * fork: copy-on-write through the pool below when it offers MemPool COPY,
 * else an eager copy. The parent waits in its FORK call meanwhile, so its
 * memory holds still. The child gets:
 *  - a copy of each area of the parent's process (its stack and ELF segments,
 *    pages of the manager's), at the same addresses: always eager (a few
 *    pages, and the manager's own);
 *  - a copy of each heap chunk the parent mapped itself (a mapping object in
 *    its areas whose space is the parent's: a MemPool region its libc got
 *    through its client at the manager's parent). The child's client there asks
 *    COPY of the chunk's region: a region sharing its pages copy-on-write,
 *    which is the child's (it goes back with the child's client, as its own
 *    GETs do) and which the child's copy of the parent's mapping maps. A pool
 *    without COPY (FLUKE_INVALID_ARGUMENT: the root) or one that does not know
 *    the region (FLUKE_NOT_FOUND): an eager copy, read through a window of the
 *    manager's space into a new area of the manager's pages;
 *  - every object of those areas and chunks made again at the same place: a
 *    reference points where the parent's did, translated (the parent's client's
 *    ports become the child's, its space the child's, its heap regions the
 *    child's copies); a mapping gets the translated region, and the child's
 *    space if it maps a shared chunk, else none (the area's own mapping maps
 *    the eager copy); a mutex or condition comes new. Another kind of object (a
 *    thread, port, region of its own) cannot be copied: the fork fails with
 *    ENOSYS. (COPY gives a page holding objects to the copy at once, without
 *    them, so a write by either side never moves the parent's objects.)
 *  - one thread, started at libc's fluke_fork_resume with the esp the request
 *    names (user/lib/fork.S), which returns 0 from fork().
 * A failed fork ends the child's client, so the pool takes its copies back.
 */
#include "pm.h"
#include <fluke/pages.h>
#include <fluke/mempool.h>
#include <fluke/mutex.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <errno.h>
#include <string.h>

#define WINDOW		FLUKE_HEAP_END	/* where a parent's heap chunk is read (and
					 * just past it, the child's shared copy) */
#define MAX_PAIRS	(FLUKE_MON_PORTS + 2 * FLUKE_PROC_AREAS + 1)

static struct {
	fluke_mapping_t window[2];		/* the parent's chunk, the child's copy */
	fluke_ref_t chunk[FLUKE_PROC_AREAS];	/* the parent's heap regions */
	fluke_ref_t shared[FLUKE_PROC_AREAS];	/* their COPY, the child's (if .cow) */
	fluke_ref_t a, b;
	const fluke_ref_t *from_space, *to_space;	/* the parent's, the child's */
	int made;
	uint32_t entry, esp;			/* the child's first registers */
	struct { const fluke_ref_t *from, *to; } pairs[MAX_PAIRS];
	int npairs;
	/* The chunks: at child address va, size bytes at region offset off;
	 * shared copy-on-write (cow), or copied into the child's area. */
	struct { uint32_t va, size, off, area, cow; } heap[FLUKE_PROC_AREAS];
	unsigned nheap;
} fk;

static void pair(const fluke_ref_t *from, const fluke_ref_t *to)
{
	fk.pairs[fk.npairs].from = from;
	fk.pairs[fk.npairs++].to = to;
}

/* Point dst where the parent's reference src points, translated. */
static void translate(fluke_ref_t *dst, const fluke_ref_t *src)
{
	for (int i = 0; i < fk.npairs && fluke_ref_type(src) != FLUKE_TYPE_NONE; i++) {
		if (fluke_ref_compare(src, fk.pairs[i].from)) {
			fluke_ref_copy(dst, fk.pairs[i].to);
			return;
		}
	}
	fluke_ref_copy(dst, src);
}

/* Call fn(va, type, arg) for each object in [va, va + size) of the manager's
 * space; stop at the first nonzero answer and return it. */
static int each_object(char *va, uint32_t size, int (*fn)(char *, uint32_t, void *), void *arg)
{
	fluke_region_t r;
	fluke_region_state_t rs = { 0, (uint32_t)va, size, FLUKE_PROT_ALL };
	fluke_search_entry_t found[16];
	uint32_t off = 0, n;
	int rc = 0;
	fluke_region_create(&r);
	fluke_region_set_state(&r, &rs, fluke_self_space(), 0);
	do {
		n = 16;
		fluke_region_search(&r, &off, size - off, found, &n);
		for (uint32_t i = 0; i < n && !rc; i++)
			rc = fn((char *)found[i].va, found[i].type, arg);
	} while (off < size && !rc);
	fluke_region_destroy(&r);
	return rc;
}

/* Heap chunks: a mapping into the parent's own space. */
static int find_chunk(char *va, uint32_t type, void *arg)
{
	struct fluke_proc *parent = arg;
	fluke_mapping_state_t ms;
	if (type != FLUKE_TYPE_MAPPING)
		return 0;
	if (fk.nheap == FLUKE_PROC_AREAS)
		return FLUKE_NO_MEMORY;
	fluke_mapping_get_state((fluke_mapping_t *)va, &ms, &fk.chunk[fk.nheap], &fk.a);
	if (!fluke_ref_compare(&fk.a, &parent->space_ref) ||
	    fluke_ref_type(&fk.chunk[fk.nheap]) != FLUKE_TYPE_REGION)
		return 0;
	fk.heap[fk.nheap].va = ms.start_va;
	fk.heap[fk.nheap].size = ms.size;
	fk.heap[fk.nheap++].off = ms.region_off;
	return 0;
}

/* Whether region is a chunk's shared copy. */
static int is_shared(const fluke_ref_t *region)
{
	for (unsigned i = 0; i < fk.nheap; i++)
		if (fk.heap[i].cow && fluke_ref_compare(region, &fk.shared[i]))
			return 1;
	return 0;
}

/* The object at va again at va + (long)arg, translated. */
static int rebuild(char *va, uint32_t type, void *arg)
{
	char *to = va + (long)arg;
	fluke_mapping_state_t ms;
	int mine;
	switch (type) {
	case FLUKE_TYPE_REF:
		fluke_ref_create((fluke_ref_t *)to);
		translate((fluke_ref_t *)to, (fluke_ref_t *)va);
		return 0;
	case FLUKE_TYPE_MAPPING:
		/* The parent's mapping of its chunk into itself: the child's maps
		 * the shared copy into the child. */
		fluke_mapping_get_state((fluke_mapping_t *)va, &ms, &fk.a, &fk.b);
		mine = fluke_ref_compare(&fk.b, fk.from_space);
		translate(&fk.b, &fk.a);
		fluke_mapping_create((fluke_mapping_t *)to);
		fluke_mapping_set_state((fluke_mapping_t *)to, &ms, &fk.b,
					mine && is_shared(&fk.b) ? fk.to_space : 0);
		return 0;
	case FLUKE_TYPE_MUTEX:
		return fluke_mutex_create((fluke_mutex_t *)to);
	case FLUKE_TYPE_COND:
		return fluke_cond_create((fluke_cond_t *)to);
	default:
		return FLUKE_INVALID_ARGUMENT;
	}
}

/* Heap chunk i's region (w 0: the parent's, at WINDOW; 1: the shared copy,
 * just past it) mapped in the manager's space (on) or not (off); where. */
static char *window(unsigned i, unsigned w, int on)
{
	char *va = (char *)WINDOW + w * fk.heap[i].size;
	fluke_mapping_state_t ms = { 0, fk.heap[i].off, (uint32_t)va, fk.heap[i].size,
				     FLUKE_PROT_READ | FLUKE_PROT_WRITE };
	if (!on) {
		fluke_mapping_destroy(&fk.window[w]);
		return va;
	}
	fluke_mapping_create(&fk.window[w]);
	fluke_mapping_set_state(&fk.window[w], &ms, w ? &fk.shared[i] : &fk.chunk[i],
				fluke_self_space());
	return va;
}

/* Heap chunk i for child c, whose client is cc: shared copy-on-write by the
 * COPY of cc's client at the parent, else (no COPY there) copied into the
 * child's next area, *next (which then moves on). FLUKE_SUCCESS or
 * FLUKE_NO_MEMORY. */
static int copy_chunk(struct fluke_proc *c, struct fluke_client *cc, unsigned i, unsigned *next)
{
	unsigned area = *next;
	int rc = fluke_mempool_copy_on(&cc->up[FLUKE_SVC_MEMPOOL], fluke_client_rpc(),
				       &fk.chunk[i], &fk.shared[i]);
	fk.heap[i].cow = rc == FLUKE_SUCCESS;
	if (rc == FLUKE_SUCCESS) {
		pair(&fk.chunk[i], &fk.shared[i]);
		return FLUKE_SUCCESS;
	}
	if (rc != FLUKE_INVALID_ARGUMENT && rc != FLUKE_NOT_FOUND)
		return FLUKE_NO_MEMORY;
	if (area == FLUKE_PROC_AREAS)
		return FLUKE_NO_MEMORY;
	rc = fluke_proc_add_area(c, area, fk.heap[i].va, fk.heap[i].size,
				 FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB);
	if (rc != FLUKE_SUCCESS)
		return rc;
	fk.heap[i].area = (*next)++;
	memcpy(c->areas[area].mem, window(i, 0, 1), fk.heap[i].size);
	window(i, 0, 0);
	pair(&fk.chunk[i], &c->areas[area].region_ref);
	return FLUKE_SUCCESS;
}

static int copy(struct fluke_monitor *m, uint32_t from, uint32_t to)
{
	struct fluke_proc *p = &m->children[from].proc, *c = &m->children[to].proc;
	struct fluke_client *pc = &m->clients[m->children[from].client];
	struct fluke_client *cc = &m->clients[m->children[to].client];
	unsigned next = 0;
	int rc = FLUKE_SUCCESS;
	if (!fk.made) {
		for (unsigned i = 0; i < FLUKE_PROC_AREAS; i++) {
			fluke_ref_create(&fk.chunk[i]);
			fluke_ref_create(&fk.shared[i]);
		}
		fluke_ref_create(&fk.a);
		fluke_ref_create(&fk.b);
		fk.made = 1;
	}
	fluke_proc_begin(c, &cc->port_refs[FLUKE_MON_KEEPER]);
	fk.npairs = 0;
	fk.nheap = 0;
	fk.from_space = &p->space_ref;
	fk.to_space = &c->space_ref;
	for (unsigned s = 0; s < FLUKE_MON_PORTS; s++)
		pair(&pc->port_refs[s], &cc->port_refs[s]);
	pair(&p->space_ref, &c->space_ref);
	for (unsigned i = 0; i < FLUKE_PROC_AREAS && rc == FLUKE_SUCCESS; i++) {
		struct fluke_proc_area *a = &p->areas[i];
		if (!a->size)
			continue;
		rc = fluke_proc_add_area(c, i, a->va, a->size, a->prot);
		if (rc == FLUKE_SUCCESS) {
			memcpy(c->areas[i].mem, a->mem, a->size);
			pair(&a->region_ref, &c->areas[i].region_ref);
			rc = each_object(a->mem, a->size, find_chunk, p);
		}
		next = i + 1;
	}
	for (unsigned i = 0; i < fk.nheap && rc == FLUKE_SUCCESS; i++)
		rc = copy_chunk(c, cc, i, &next);
	/* Every reference's translation is known: the objects. */
	for (unsigned i = 0; i < FLUKE_PROC_AREAS && rc == FLUKE_SUCCESS; i++)
		if (p->areas[i].size)
			rc = each_object(p->areas[i].mem, p->areas[i].size, rebuild,
					 (void *)(c->areas[i].mem - p->areas[i].mem));
	for (unsigned i = 0; i < fk.nheap && rc == FLUKE_SUCCESS; i++) {
		char *from = window(i, 0, 1);
		char *to = fk.heap[i].cow ? window(i, 1, 1) : c->areas[fk.heap[i].area].mem;
		rc = each_object(from, fk.heap[i].size, rebuild, (void *)(to - from));
		window(i, 0, 0);
		if (fk.heap[i].cow)
			window(i, 1, 0);
	}
	if (rc != FLUKE_SUCCESS) {
		fluke_proc_destroy(c);
		return rc;
	}
	fluke_thread_state_t ts = { .priority = FLUKE_PRIO_DEFAULT, .eip = fk.entry,
				    .esp = fk.esp };
	fluke_thread_set_state(&c->thread, &ts, &c->space_ref, 0);
	return FLUKE_SUCCESS;
}

int pm_fork(uint32_t slot, uint32_t entry, uint32_t esp, uint32_t request, uint32_t *pid)
{
	fk.entry = entry;
	fk.esp = esp;
	int rc = fluke_monitor_fork(&pm, slot, request, copy, pid);
	if (rc != FLUKE_SUCCESS)
		return rc == FLUKE_NO_MEMORY ? EAGAIN : ENOSYS;
	uint32_t to = fluke_monitor_child(&pm, *pid) - pm.children;
	if (procs[to].pid == *pid)
		return 0;		/* a resent FORK: set up already */
	pm_proc_init(to, pm.children[slot].pid, slot);
	for (int fd = 3; fd < FLUKE_PROCESS_FDS; fd++)	/* fork keeps every descriptor */
		procs[to].fds[fd] = pm_file_share(procs[slot].fds[fd]);
	memcpy(procs[to].handlers, procs[slot].handlers, sizeof(procs[to].handlers));
	procs[to].trampoline = procs[slot].trampoline;
	return 0;
}
