/*
 * fuzz seed=N calls=N: a hostile program against the kernel (handouts/api.md,
 * "The fuzzer"). The first task builds a child space from pages of its own free
 * memory and runs the fuzzing thread (fuzzer.c) there: unprivileged, it makes
 * `calls` random system calls. A watchdog interrupts it when a call waits too
 * long. Then the parent destroys the child space and every object found in the
 * pages it gave, and checks that free pages, live objects and its own charge are
 * back where they were. The whole run is done twice with the same seed; only the
 * second is measured, the first having grown the kernel's small-object caches.
 * With keeper=1 some pointer arguments point into a region the parent keeps: a
 * keeper thread of the parent backs a faulting page or refuses it, at random, and
 * the parent takes pages back while the fuzzer runs, so calls fault, wait for the
 * keeper and run again in every state.
 * Records: METRIC fuzz calls=... insanities=... faults=... errors=...,
 * PASS fuzz-survived, PASS fuzz-accounted.
 */
#include "fuzz.h"
#include <stdio.h>
#include <string.h>
#include <fluke/abi/boot.h>
#include <fluke/abi/error.h>
#include <fluke/ipc.h>
#include <fluke/keeper.h>
#include <fluke/mutex.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/test.h>
#include <fluke/thread.h>

#define MAX_MAPS	(FLUKE_BOOT_AREAS + 5)
#define WATCHDOG	50	/* parent turns without progress before an interrupt */

static struct fluke_boot_info *boot;
static uint32_t next_va;	/* the parent's free memory not yet given */
static fluke_space_t child;
static fluke_thread_t fuzzer;
static fluke_ref_t child_ref, reg_ref;
static fluke_mapping_t maps[MAX_MAPS];
static unsigned nmaps;
/* The regions over the parent's pages that the child's memory comes from. */
static struct given {
	fluke_region_t region;
	uint32_t size;
} given[MAX_MAPS];
static unsigned ngiven;

/* Map all of r (size bytes) at va of the child. */
static int share(fluke_region_t *r, uint32_t va, uint32_t size)
{
	fluke_mapping_state_t st = { 0, 0, va, size, FLUKE_PROT_ALL };
	fluke_mapping_t *m = &maps[nmaps++];
	return fluke_mapping_create(m) || fluke_region_reference(r, &reg_ref) ||
	       fluke_mapping_set_state(m, &st, &reg_ref, &child_ref);
}

/* A region over the parent's next size bytes of free memory, holding a copy of
 * [src, src + size) (src 0: zeroed); teardown sweeps it. The parent's address of
 * the bytes, or 0. */
static uint32_t own(uint32_t size, uint32_t src, fluke_region_t **r)
{
	struct given *g = &given[ngiven++];
	uint32_t mine = next_va;
	fluke_region_state_t st = { 0, mine, size, FLUKE_PROT_ALL };
	next_va += size;
	if (src)
		memcpy((void *)mine, (void *)src, size);
	else
		memset((void *)mine, 0, size);
	g->size = size;
	*r = &g->region;
	return fluke_region_create(&g->region) ||
	       fluke_region_set_state(&g->region, &st, &boot->space_ref, 0) ? 0 : mine;
}

/* Give the child size bytes at va, as own makes them. */
static uint32_t give(uint32_t va, uint32_t size, uint32_t src)
{
	fluke_region_t *r;
	uint32_t mine = own(size, src, &r);
	return mine && !share(r, va, size) ? mine : 0;
}

/* --- keeper=1: the kept region and the parent's thread that keeps it. ------ */

#define KEPT_A		0x78000000u	/* the parent's side of the kept region */
#define KEPT_BYTES	(FUZZ_KEPT_PAGES * FUZZ_PAGE)

static struct {
	fluke_pset_t pset;
	fluke_port_t port;
	fluke_region_t region;		/* [KEPT_A, + KEPT_BYTES) of the parent, kept */
	fluke_mapping_t backing[FUZZ_KEPT_PAGES];	/* parent pages behind it, when backed */
	fluke_thread_t thread;
	fluke_mutex_t lock;		/* over backing and backed: two threads change them */
	fluke_ref_t port_ref, thread_ref, about_ref, tmp_ref;
	int backed[FUZZ_KEPT_PAGES];
	uint32_t pool;			/* the parent's pages that back it (swept) */
	uint32_t rng, requests, refused, taken;
} kp;
static uint8_t keeper_stack[FUZZ_PAGE] __attribute__((aligned(16)));

static uint32_t keeper_rnd(void)
{
	kp.rng = kp.rng * 1103515245u + 12345u;
	return kp.rng >> 8;
}

/* Back page n of the kept region with pool page n, or take it back. */
static void back(uint32_t n, int on)
{
	fluke_mutex_lock(&kp.lock);
	struct fluke_boot_area *free = &boot->areas[FLUKE_BOOT_FREE];
	fluke_mapping_state_t st = { 0, kp.pool + n * FUZZ_PAGE - free->start_va,
				     KEPT_A + n * FUZZ_PAGE, FUZZ_PAGE, FLUKE_PROT_ALL };
	if (on && !kp.backed[n])
		kp.backed[n] = !fluke_mapping_create(&kp.backing[n]) &&
			       !fluke_region_reference(&free->region, &kp.tmp_ref) &&
			       !fluke_mapping_set_state(&kp.backing[n], &st, &kp.tmp_ref,
							&boot->space_ref);
	else if (!on && kp.backed[n] && !fluke_mapping_destroy(&kp.backing[n])) {
		kp.backed[n] = 0;
		kp.taken++;
	}
	fluke_mutex_unlock(&kp.lock);
}

/* Serve page faults in the kept region: a quarter refused, the rest backed. */
static void keeper_main(void)
{
	static fluke_keeper_msg_t msg;
	int answer = 0, no = 0;
	for (;;) {
		answer = fluke_keeper_next(&kp.pset, answer, no, &msg, &kp.thread_ref,
					   &kp.about_ref) == 0;
		if (!answer)
			continue;
		kp.requests++;
		uint32_t n = msg.offset / FUZZ_PAGE;
		no = msg.kind != FLUKE_KEEPER_PAGE_FAULT || n >= FUZZ_KEPT_PAGES ||
		     keeper_rnd() % 4 == 0;
		kp.refused += no;
		if (!no)
			back(n, 1);
	}
}

static int keeper_build(void)
{
	fluke_region_t *pool;
	fluke_port_state_t ps = { 0, 1 };
	fluke_region_state_t rs = { 0, KEPT_A, KEPT_BYTES, FLUKE_PROT_ALL };
	fluke_thread_state_t ts = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)keeper_main,
				    .esp = (uint32_t)keeper_stack + sizeof(keeper_stack) - 16 };
	memset(&kp, 0, sizeof(kp));
	kp.rng = fuzz_seed;
	kp.pool = own(KEPT_BYTES, 0, &pool);
	return !kp.pool || fluke_pset_create(&kp.pset) || fluke_port_create(&kp.port) ||
	       fluke_ref_create(&kp.port_ref) || fluke_ref_create(&kp.thread_ref) ||
	       fluke_ref_create(&kp.about_ref) || fluke_ref_create(&kp.tmp_ref) ||
	       fluke_mutex_create(&kp.lock) ||
	       fluke_pset_reference(&kp.pset, &kp.tmp_ref) ||
	       fluke_port_set_state(&kp.port, &ps, &kp.tmp_ref) ||
	       fluke_port_reference(&kp.port, &kp.port_ref) ||
	       fluke_region_create(&kp.region) ||
	       fluke_region_set_state(&kp.region, &rs, &boot->space_ref, &kp.port_ref) ||
	       share(&kp.region, FUZZ_KEPT_VA, KEPT_BYTES) ||
	       fluke_thread_create(&kp.thread) ||
	       fluke_thread_set_state(&kp.thread, &ts, &boot->space_ref, 0);
}

static int keeper_teardown(void)
{
	int bad = fluke_thread_destroy(&kp.thread);
	for (uint32_t n = 0; n < FUZZ_KEPT_PAGES; n++)
		if (kp.backed[n])
			bad |= fluke_mapping_destroy(&kp.backing[n]);
	return bad | fluke_region_destroy(&kp.region) | fluke_port_destroy(&kp.port) |
	       fluke_pset_destroy(&kp.pset) | fluke_mutex_destroy(&kp.lock) |
	       fluke_ref_destroy(&kp.port_ref) |
	       fluke_ref_destroy(&kp.thread_ref) | fluke_ref_destroy(&kp.about_ref) |
	       fluke_ref_destroy(&kp.tmp_ref);
}

/* The child space, the fuzzing thread's memory, the thread (not yet running). */
static struct fuzz_report *build(void)
{
	nmaps = ngiven = 0;
	next_va = boot->areas[FLUKE_BOOT_FREE].start_va;
	if (fluke_space_create(&child) || fluke_ref_create(&child_ref) ||
	    fluke_ref_create(&reg_ref) || fluke_space_reference(&child, &child_ref))
		return 0;
	/* The program's segments: text and read-only data shared, data copied. */
	for (uint32_t i = FLUKE_BOOT_SEGMENTS; i < boot->nareas; i++) {
		struct fluke_boot_area *a = &boot->areas[i];
		if (!(a->prot & FLUKE_PROT_WRITE) ? share(&a->region, a->start_va, a->size)
						   : !give(a->start_va, a->size, a->start_va))
			return 0;
	}
	uint32_t report = give(FUZZ_REPORT_VA, FUZZ_PAGE, 0);
	if (!report || !give(FUZZ_STACK_VA, FUZZ_STACK_PAGES * FUZZ_PAGE, 0) ||
	    !give(FUZZ_OBJ_VA, (FUZZ_OBJ_PAGES + FUZZ_BUF_PAGES) * FUZZ_PAGE, 0) ||
	    (fuzz_keeper && keeper_build()))
		return 0;
	return (struct fuzz_report *)report;
}

static uint32_t unstuck;	/* threads unstick destroyed, this run */

/* Destroy the threads the fuzzer made (thread objects in the pages it was given).
 * One stopped for good while it holds a mutex the fuzzer waits for would keep the
 * fuzzer waiting: an interrupted mutex_lock runs again, it is not cut short. */
static void unstick(void)
{
	fluke_search_entry_t e[16];
	for (unsigned i = 0; i < ngiven; i++)
		for (uint32_t off = 0; off < given[i].size;) {
			uint32_t n = 16;
			if (fluke_region_search(&given[i].region, &off, given[i].size - off, e, &n))
				break;
			for (uint32_t k = 0; k < n; k++)
				if (e[k].type == FLUKE_TYPE_THREAD &&
				    fluke_thread_destroy((void *)e[k].va) == 0)
					unstuck++;
		}
}

/* Start the fuzzing thread; interrupt it whenever it makes no progress for a
 * while (a random call may wait forever), and after four interrupts in vain
 * destroy the threads it made; return once it is done. */
static void run(struct fuzz_report *rep)
{
	fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)fuzz_main,
				    .esp = FUZZ_STACK_VA + FUZZ_STACK_PAGES * FUZZ_PAGE - 16 };
	uint32_t last = 0, idle = 0, interrupts = 0;
	unstuck = 0;
	if (fluke_thread_create(&fuzzer) || fluke_thread_set_state(&fuzzer, &st, &child_ref, 0))
		return;
	while (!rep->done) {
		fluke_thread_yield();
		if (fuzz_keeper)	/* revoked under the fuzzer's feet */
			back(keeper_rnd() % FUZZ_KEPT_PAGES, 0);
		if (rep->calls != last) {
			last = rep->calls;
			idle = interrupts = 0;
		} else if (++idle == WATCHDOG) {
			fluke_thread_interrupt(&fuzzer);
			idle = 0;
			if (++interrupts == 4) {
				unstick();
				interrupts = 0;
			}
		}
	}
}

/* Destroy every object in region r (size bytes): whatever the child made. */
static int sweep(fluke_region_t *r, uint32_t size)
{
	fluke_search_entry_t e[16];
	for (uint32_t off = 0; off < size;) {
		uint32_t n = 16;
		if (fluke_region_search(r, &off, size - off, e, &n))
			return -1;
		for (uint32_t i = 0; i < n; i++)
			if (fluke_object_destroy((void *)e[i].va))
				return -1;
	}
	return 0;
}

/* Undo build and everything the child made; 0 if all went well. */
static int teardown(void)
{
	int bad = fluke_space_destroy(&child) | fluke_thread_destroy(&fuzzer);
	if (fuzz_keeper)
		bad |= keeper_teardown();
	for (unsigned i = 0; i < ngiven; i++)
		bad |= sweep(&given[i].region, given[i].size);
	for (unsigned i = 0; i < nmaps; i++)
		bad |= fluke_mapping_destroy(&maps[i]);
	for (unsigned i = 0; i < ngiven; i++)
		bad |= fluke_region_destroy(&given[i].region);
	bad |= fluke_ref_destroy(&child_ref) | fluke_ref_destroy(&reg_ref);
	fluke_thread_yield();	/* the scheduler frees dead threads' stacks */
	return bad;
}

/* One whole run; the report stays readable in the parent's pages until the next. */
static struct fuzz_report *fuzz_once(int *bad)
{
	struct fuzz_report *rep = build();
	if (!rep) {
		*bad = 1;
		return 0;
	}
	run(rep);
	*bad = teardown();
	return rep;
}

static uint32_t arg(int argc, char **argv, const char *key, uint32_t dflt)
{
	size_t len = strlen(key);
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, len) == 0 && argv[i][len] == '=') {
			uint32_t v = 0;
			for (const char *p = argv[i] + len + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (uint32_t)(*p - '0');
			return v;
		}
	return dflt;
}

int main(int argc, char **argv, struct fluke_boot_info *info)
{
	fluke_vm_stats_t before, after;
	fluke_space_state_t a0, a1;
	int bad;
	boot = info;
	fuzz_seed = arg(argc, argv, "seed", 1);
	fuzz_calls = arg(argc, argv, "calls", 10000);
	fuzz_keeper = arg(argc, argv, "keeper", 0);
	test_record("BEGIN", "fuzz-survived");
	fuzz_once(&bad);	/* warms the kernel's caches up */
	if (bad || fluke_vm_stats(&before) || fluke_space_get_state(&boot->space, &a0, 0))
		return 1;
	struct fuzz_report *rep = fuzz_once(&bad);
	if (!rep || bad || fluke_vm_stats(&after) || fluke_space_get_state(&boot->space, &a1, 0))
		return 1;
	test_record("METRIC", "fuzz seed=%u calls=%u insanities=%u faults=%u errors=%u strays=%u "
		    "unstuck=%u", fuzz_seed, rep->calls, rep->insanities, rep->faults, rep->errors,
		    rep->strays, unstuck);
	if (fuzz_keeper)
		test_record("METRIC", "fuzz-keeper requests=%u refused=%u taken-back=%u",
			    kp.requests, kp.refused, kp.taken);
	if (rep->calls != fuzz_calls || rep->strays || (fuzz_keeper && !kp.taken)) {
		test_record("FAIL", "fuzz-survived calls=%u strays=%u last at eip 0x%08x", rep->calls,
			    rep->strays, rep->stray_eip);
		return 1;
	}
	test_record("PASS", "fuzz-survived");
	test_record("BEGIN", "fuzz-accounted");
	/* The kernel's small-object allocator gives a page back when its last chunk is
	 * freed, but the chunks still in use may sit in other pages than before the second
	 * run: its pages count with the free pages (no page lost), and its bytes in use
	 * must be back where they were. */
	test_record("METRIC", "fuzz-accounting free=%u/%u kmem-pages=%u/%u kmem-bytes=%u/%u "
		    "objects=%u/%u charged=%u/%u", before.free_pages, after.free_pages,
		    before.kmem_pages, after.kmem_pages, before.kmem_bytes, after.kmem_bytes,
		    before.live_objects, after.live_objects, a0.mem_used, a1.mem_used);
	if (before.free_pages + before.kmem_pages != after.free_pages + after.kmem_pages ||
	    before.kmem_bytes != after.kmem_bytes || before.live_objects != after.live_objects ||
	    a0.mem_used != a1.mem_used) {
		test_record("FAIL", "fuzz-accounted");
		return 1;
	}
	test_record("PASS", "fuzz-accounted");
	printf("fuzz: seed %u survived %u calls\n", fuzz_seed, rep->calls);
	return 0;
}
