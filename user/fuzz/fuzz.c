/*
 * fuzz seed=N calls=N: a hostile program against the kernel (handouts/api.md,
 * "The fuzzer"). The first task builds a child space from pages of its own free
 * memory and runs the fuzzing thread (fuzzer.c) there: unprivileged, it makes
 * `calls` random system calls. A watchdog interrupts it when a call waits too
 * long. Then the parent destroys the child space and every object found in the
 * pages it gave, and checks that free pages, live objects and its own charge are
 * back where they were. The whole run is done twice with the same seed; only the
 * second is measured, the first having grown the kernel's small-object caches.
 * Records: METRIC fuzz calls=... insanities=... faults=... errors=...,
 * PASS fuzz-survived, PASS fuzz-accounted.
 */
#include "fuzz.h"
#include <stdio.h>
#include <string.h>
#include <fluke/boot.h>
#include <fluke/error.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/test.h>
#include <fluke/thread.h>

#define MAX_MAPS	(FLUKE_BOOT_AREAS + 3)
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

/* Give the child size bytes at va: the parent's next free pages, holding a copy
 * of [src, src + size) (src 0: zeroed). Returns the parent's address of them. */
static uint32_t give(uint32_t va, uint32_t size, uint32_t src)
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
	if (fluke_region_create(&g->region) ||
	    fluke_region_set_state(&g->region, &st, &boot->space_ref, 0) ||
	    share(&g->region, va, size))
		return 0;
	return mine;
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
	    !give(FUZZ_OBJ_VA, (FUZZ_OBJ_PAGES + FUZZ_BUF_PAGES) * FUZZ_PAGE, 0))
		return 0;
	return (struct fuzz_report *)report;
}

/* Start the fuzzing thread; interrupt it whenever it makes no progress for a
 * while (a random call may wait forever); return once it is done. */
static void run(struct fuzz_report *rep)
{
	fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)fuzz_main,
				    .esp = FUZZ_STACK_VA + FUZZ_STACK_PAGES * FUZZ_PAGE - 16 };
	uint32_t last = 0, idle = 0;
	if (fluke_thread_create(&fuzzer) || fluke_thread_set_state(&fuzzer, &st, &child_ref, 0))
		return;
	while (!rep->done) {
		fluke_thread_yield();
		if (rep->calls != last) {
			last = rep->calls;
			idle = 0;
		} else if (++idle == WATCHDOG) {
			fluke_thread_interrupt(&fuzzer);
			idle = 0;
		}
	}
}

/* Destroy every object in region r (size bytes): whatever the child made. */
static int sweep(fluke_region_t *r, uint32_t size)
{
	fluke_search_entry_t e[16];
	for (;;) {
		uint32_t off = 0, n = 16;
		if (fluke_region_search(r, &off, size, e, &n))
			return -1;
		if (n == 0)
			return 0;
		for (uint32_t i = 0; i < n; i++)
			if (fluke_object_destroy((void *)e[i].va))
				return -1;
	}
}

/* Undo build and everything the child made; 0 if all went well. */
static int teardown(void)
{
	int bad = fluke_space_destroy(&child) | fluke_thread_destroy(&fuzzer);
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
	test_record("BEGIN", "fuzz-survived");
	fuzz_once(&bad);	/* warms the kernel's caches up */
	if (bad || fluke_vm_stats(&before) || fluke_space_get_state(&boot->space, &a0, 0))
		return 1;
	struct fuzz_report *rep = fuzz_once(&bad);
	if (!rep || bad || fluke_vm_stats(&after) || fluke_space_get_state(&boot->space, &a1, 0))
		return 1;
	test_record("METRIC", "fuzz seed=%u calls=%u insanities=%u faults=%u errors=%u strays=%u",
		    fuzz_seed, rep->calls, rep->insanities, rep->faults, rep->errors, rep->strays);
	if (rep->calls != fuzz_calls || rep->strays) {
		test_record("FAIL", "fuzz-survived calls=%u strays=%u last at eip 0x%08x", rep->calls,
			    rep->strays, rep->stray_eip);
		return 1;
	}
	test_record("PASS", "fuzz-survived");
	test_record("BEGIN", "fuzz-accounted");
	test_record("METRIC", "fuzz-accounting free=%u/%u objects=%u/%u charged=%u/%u",
		    before.free_pages, after.free_pages, before.live_objects, after.live_objects,
		    a0.mem_used, a1.mem_used);
	if (before.free_pages != after.free_pages || before.live_objects != after.live_objects ||
	    a0.mem_used != a1.mem_used) {
		test_record("FAIL", "fuzz-accounted");
		return 1;
	}
	test_record("PASS", "fuzz-accounted");
	printf("fuzz: seed %u survived %u calls\n", fuzz_seed, rep->calls);
	return 0;
}
