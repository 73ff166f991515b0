/*
 * Checks of the memory model (handouts/api.md, "Memory"), reported as test
 * records. The first task (A) builds child spaces B and C without threads and
 * reads their memory through itself: a region over C mapped back into A closes
 * the chain A -> B -> C -> A, so A's loads and stores, and the kernel's copy-in,
 * exercise the recursive translation without a thread in C.
 *   vmcheck                  run every check
 *   vmcheck fault=WHAT       misuse on purpose; the kernel reports and ends the run:
 *     protect    read through C after region_protect(A's region, NONE)  (page fault)
 *     unmapped   read through C after destroying C's mapping            (page fault)
 *     overlap    a second mapping over the same addresses  (ADDRESS_OVERLAP)
 *     misaligned a region starting mid-page                (NOT_ALIGNED)
 *     kernel     a mapping in the kernel half              (INVALID_ADDRESS)
 *     prot       region_protect with unknown bits           (INVALID_PROT)
 *     nocreate   create an object in memory without CREATE_OB (INVALID_PROT)
 *     dirty      region_dirty of a mapping                  (NOT_REGION)
 * Before a deliberate page fault it prints an INFO record naming the region the
 * kernel's report must name.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/boot.h>
#include <fluke/abi/error.h>
#include <fluke/mutex.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/test.h>
#include <fluke/thread.h>

#define PAGE	4096u
#define B_VA	0x10000000u	/* where B sees A's pages */
#define C_VA	0x18000000u	/* where C sees B's */
#define LOOP_VA	0x20000000u	/* where A sees C's */
#define RW_OB	(FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB)

static struct fluke_boot_info *boot;
static uint32_t free_va;	/* A's free memory: the pages used here come from it */

/* The chain: A's page(s) -> B -> C -> back into A at LOOP_VA. */
static fluke_space_t space_b, space_c;
static fluke_region_t reg_a, reg_b, reg_c;
static fluke_mapping_t map_b, map_c, map_loop;
static fluke_ref_t ref_a, ref_b, ref_c, ref_reg, ref_tmp;

/* Export [va, va + size) of the space sref names as region r. */
static int export(fluke_region_t *r, const fluke_ref_t *sref, uint32_t va, uint32_t size)
{
	fluke_region_state_t st = { 0, va, size, FLUKE_PROT_ALL };
	if (fluke_region_create(r) || fluke_region_set_state(r, &st, sref, 0))
		return -1;
	return 0;
}

/* Import all size bytes of r at va of the space sref names, as mapping m. */
static int import(fluke_mapping_t *m, fluke_region_t *r, const fluke_ref_t *sref, uint32_t va,
		  uint32_t size)
{
	fluke_mapping_state_t st = { 0, 0, va, size, FLUKE_PROT_ALL };
	if (fluke_mapping_create(m) || fluke_region_reference(r, &ref_reg))
		return -1;
	return fluke_mapping_set_state(m, &st, &ref_reg, sref);
}

/* Build A -> B -> C -> A over pages [free_va + first * PAGE, + n pages). */
static int build_chain(uint32_t first, uint32_t n)
{
	uint32_t a_va = free_va + first * PAGE, size = n * PAGE;
	if (fluke_ref_create(&ref_a) || fluke_ref_create(&ref_b) || fluke_ref_create(&ref_c) ||
	    fluke_ref_create(&ref_reg) || fluke_space_self(&ref_a) ||
	    fluke_space_create(&space_b) || fluke_space_create(&space_c) ||
	    fluke_space_reference(&space_b, &ref_b) || fluke_space_reference(&space_c, &ref_c))
		return -1;
	if (export(&reg_a, &ref_a, a_va, size) || import(&map_b, &reg_a, &ref_b, B_VA, size) ||
	    export(&reg_b, &ref_b, B_VA, size) || import(&map_c, &reg_b, &ref_c, C_VA, size) ||
	    export(&reg_c, &ref_c, C_VA, size) || import(&map_loop, &reg_c, &ref_a, LOOP_VA, size))
		return -1;
	return 0;
}

static int destroy_chain(void)
{
	return fluke_mapping_destroy(&map_loop) | fluke_region_destroy(&reg_c) |
	       fluke_mapping_destroy(&map_c) | fluke_region_destroy(&reg_b) |
	       fluke_mapping_destroy(&map_b) | fluke_region_destroy(&reg_a) |
	       fluke_space_destroy(&space_c) | fluke_space_destroy(&space_b) |
	       fluke_ref_destroy(&ref_a) | fluke_ref_destroy(&ref_b) | fluke_ref_destroy(&ref_c) |
	       fluke_ref_destroy(&ref_reg);
}

static uint32_t hash_of_region(fluke_region_t *r)
{
	fluke_region_state_t st;
	fluke_region_get_state(r, &st, 0, 0);
	return st.hash;
}

static void boot_info(void)
{
	const char *t = "boot-info";
	test_record("BEGIN", "%s", t);
	CHECK(t, boot && boot->nareas >= FLUKE_BOOT_SEGMENTS + 1);
	CHECK(t, fluke_ref_type(&boot->space_ref) == FLUKE_TYPE_SPACE);
	for (uint32_t i = 0; i < boot->nareas; i++) {
		struct fluke_boot_area *a = &boot->areas[i];
		if (!a->size)
			continue;
		fluke_region_state_t rs;
		fluke_mapping_state_t ms;
		CHECK(t, fluke_ref_type(&a->region_ref) == FLUKE_TYPE_REGION);
		CHECK(t, fluke_region_get_state(&a->region, &rs, 0, 0) == 0);
		CHECK(t, rs.start_va == a->phys && rs.size == a->size && rs.prot == a->prot);
		CHECK(t, fluke_mapping_get_state(&a->mapping, &ms, 0, 0) == 0);
		CHECK(t, ms.start_va == a->start_va && ms.size == a->size && ms.region_off == 0);
	}
	struct fluke_boot_area *fs = &boot->areas[FLUKE_BOOT_BOOTFS];
	CHECK(t, fs->prot == FLUKE_PROT_READ && fs->size > 0);
	volatile const char *bootfs = (const char *)fs->start_va;
	CHECK(t, bootfs[0] == bootfs[0]);	/* readable */
	CHECK(t, fluke_vm_stats((void *)fs->start_va) == FLUKE_BAD_ADDRESS);	/* not writable */
	test_record("INFO", "free memory: %u KiB at 0x%08x", boot->areas[FLUKE_BOOT_FREE].size / 1024,
		    free_va);
	test_record("PASS", "%s", t);
}

static void space_basics(void)
{
	const char *t = "space-create";
	fluke_space_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_space_create(&space_b) == FLUKE_SUCCESS);
	CHECK(t, fluke_space_get_state(&space_b, &st, 0) == 0 && st.mem_used == 0 && st.mem_limit > 0);
	CHECK(t, fluke_ref_create(&ref_a) == 0 && fluke_space_self(&ref_a) == FLUKE_SUCCESS);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_SPACE);
	CHECK(t, fluke_ref_compare(&ref_a, &boot->space_ref) == 1);
	CHECK(t, fluke_ref_create(&ref_b) == 0 && fluke_space_reference(&space_b, &ref_b) == 0);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_b) == 0);
	CHECK(t, fluke_space_destroy(&space_b) == 0 && fluke_ref_type(&ref_b) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_ref_destroy(&ref_a) == 0 && fluke_ref_destroy(&ref_b) == 0);
	test_record("PASS", "%s", t);
}

static fluke_mutex_t *at(uint32_t va)
{
	return (fluke_mutex_t *)va;
}

static void shared_mutex(void)
{
	const char *t = "shared-mutex";
	test_record("BEGIN", "%s", t);
	CHECK(t, build_chain(0, 1) == 0);
	volatile uint32_t *mine = (uint32_t *)free_va, *loop = (uint32_t *)LOOP_VA;
	mine[1] = 0xfeedf00d;
	CHECK(t, loop[1] == 0xfeedf00d);
	/* Created through the chain, used through A's own address. */
	CHECK(t, fluke_mutex_create(at(LOOP_VA + 0x100)) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_lock(at(free_va + 0x100)) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_trylock(at(LOOP_VA + 0x100)) == FLUKE_WOULD_BLOCK);
	CHECK(t, fluke_mutex_unlock(at(LOOP_VA + 0x100)) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_trylock(at(free_va + 0x100)) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_unlock(at(free_va + 0x100)) == FLUKE_SUCCESS);
	CHECK(t, fluke_ref_create(&ref_tmp) == 0);
	CHECK(t, fluke_mutex_reference(at(LOOP_VA + 0x100), &ref_tmp) == 0);
	CHECK(t, fluke_mutex_reference(at(free_va + 0x100), &ref_reg) == 0);
	CHECK(t, fluke_ref_compare(&ref_tmp, &ref_reg) == 1);
	CHECK(t, fluke_mutex_destroy(at(free_va + 0x100)) == 0 && fluke_ref_destroy(&ref_tmp) == 0);
	CHECK(t, destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

static void chain(void)
{
	const char *t = "chain-3";
	volatile uint32_t *mine = (uint32_t *)(free_va + PAGE), *loop = (uint32_t *)LOOP_VA;
	fluke_region_state_t rs;
	test_record("BEGIN", "%s", t);
	CHECK(t, build_chain(1, 1) == 0 && fluke_ref_create(&ref_tmp) == 0);
	mine[0] = 0xa11ce;
	CHECK(t, loop[0] == 0xa11ce);	/* A's data, read through C and B */
	loop[2] = 0xb0b;
	CHECK(t, mine[2] == 0xb0b);
	/* Revoke at the top: every space below loses it, A's cached PTE included
	 * (vmcheck fault=protect shows the load faulting). */
	CHECK(t, fluke_region_protect(&reg_a, FLUKE_PROT_NONE) == FLUKE_SUCCESS);
	CHECK(t, fluke_test_record((const char *)LOOP_VA, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_region_protect(&reg_a, FLUKE_PROT_READ) == FLUKE_SUCCESS);
	CHECK(t, loop[0] == 0xa11ce);
	CHECK(t, fluke_vm_stats((void *)LOOP_VA) == FLUKE_BAD_ADDRESS);	/* no writing */
	CHECK(t, fluke_region_protect(&reg_a, FLUKE_PROT_ALL) == FLUKE_SUCCESS);
	/* A read-only mapping in the middle makes the rest of the chain read-only. */
	CHECK(t, fluke_mapping_protect(&map_c, FLUKE_PROT_READ) == FLUKE_SUCCESS);
	CHECK(t, fluke_vm_stats((void *)LOOP_VA) == FLUKE_BAD_ADDRESS && loop[0] == 0xa11ce);
	CHECK(t, fluke_mapping_protect(&map_c, FLUKE_PROT_ALL) == FLUKE_SUCCESS);
	CHECK(t, fluke_vm_stats((void *)LOOP_VA) == FLUKE_SUCCESS);
	mine[0] = 0xa11ce;
	/* A region shrunk under its mappings: the excess faults ("past the end"). */
	CHECK(t, fluke_region_get_state(&reg_b, &rs, 0, 0) == 0);
	rs.size = 0;
	CHECK(t, fluke_region_set_state(&reg_b, &rs, 0, 0) == FLUKE_SUCCESS);
	CHECK(t, fluke_test_record((const char *)LOOP_VA, 4) == FLUKE_BAD_ADDRESS);
	rs.size = PAGE;
	CHECK(t, fluke_region_set_state(&reg_b, &rs, 0, 0) == 0 && loop[0] == 0xa11ce);
	/* Without the middle mapping, C has nothing at C_VA (vmcheck fault=unmapped). */
	CHECK(t, fluke_mapping_destroy(&map_c) == FLUKE_SUCCESS);
	CHECK(t, fluke_test_record((const char *)LOOP_VA, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, import(&map_c, &reg_b, &ref_c, C_VA, PAGE) == 0 && loop[0] == 0xa11ce);
	/* Destroying B detaches the region over it and the mapping in it. */
	CHECK(t, fluke_space_destroy(&space_b) == FLUKE_SUCCESS);
	CHECK(t, fluke_test_record((const char *)LOOP_VA, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ref_type(&ref_b) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_region_get_state(&reg_b, &rs, &ref_tmp, 0) == 0);
	CHECK(t, fluke_ref_type(&ref_tmp) == FLUKE_TYPE_NONE && rs.start_va == B_VA);
	CHECK(t, fluke_space_create(&space_b) == 0 && fluke_ref_destroy(&ref_tmp) == 0);
	CHECK(t, destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

/* Runs in C, whose only memory is the program's text and the chain's page. */
static void child_code(void)
{
	volatile uint32_t *page = (uint32_t *)C_VA;
	page[4] = fluke_mutex_trylock((fluke_mutex_t *)(C_VA + 0x100));	/* A holds it */
	page[3] = page[0] + 1;
	for (;;)
		fluke_thread_yield();
}

static fluke_thread_t child;
static fluke_mapping_t text_in_c;
static fluke_space_t spaces[2];
static fluke_ref_t keeper_ref;

/* A thread of C's own faults A's page in through B (C's page tables, not A's),
 * and finds the mutex A locked through A's address busy at C's address. */
static void thread_in_child(void)
{
	const char *t = "thread-in-child";
	volatile uint32_t *mine = (uint32_t *)(free_va + 3 * PAGE);
	struct fluke_boot_area *text = 0;
	test_record("BEGIN", "%s", t);
	for (uint32_t i = FLUKE_BOOT_SEGMENTS; i < boot->nareas; i++)
		if (boot->areas[i].prot & FLUKE_PROT_EXEC)
			text = &boot->areas[i];
	CHECK(t, text != 0 && build_chain(3, 1) == 0);
	CHECK(t, import(&text_in_c, &text->region, &ref_c, text->start_va, text->size) == 0);
	mine[0] = 41;
	mine[3] = 0;
	CHECK(t, fluke_mutex_create(at(free_va + 3 * PAGE + 0x100)) == 0);
	CHECK(t, fluke_mutex_lock(at(free_va + 3 * PAGE + 0x100)) == 0);
	fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)child_code,
				    .esp = C_VA + PAGE - 64 };
	CHECK(t, fluke_thread_create(&child) == 0);
	CHECK(t, fluke_thread_set_state(&child, &st, &ref_c, 0) == 0);
	for (int i = 0; i < 1000 && mine[3] == 0; i++)
		fluke_thread_yield();
	CHECK(t, mine[3] == 42 && mine[4] == FLUKE_WOULD_BLOCK);
	CHECK(t, fluke_mutex_unlock(at(free_va + 3 * PAGE + 0x100)) == 0);
	CHECK(t, fluke_mutex_destroy(at(free_va + 3 * PAGE + 0x100)) == 0);
	/* Destroying C stops its thread; it can then be destroyed. */
	CHECK(t, fluke_space_destroy(&space_c) == 0 && fluke_thread_destroy(&child) == 0);
	CHECK(t, fluke_mapping_destroy(&text_in_c) == 0 && fluke_space_create(&space_c) == 0);
	CHECK(t, destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

/* A thread of an empty space: it faults at once and dies of it (unhandled). */
static int die_once(fluke_ref_t *empty)
{
	fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT, .eip = 0x10 };
	if (fluke_thread_create(&child) || fluke_thread_set_state(&child, &st, empty, 0))
		return -1;
	for (int i = 0; i < 10; i++)
		fluke_thread_yield();
	if (fluke_thread_get_state(&child, &st, 0, 0, 0, 0, 0) || !(st.flags & FLUKE_THREAD_STOPPED))
		return -1;
	return fluke_thread_destroy(&child) | fluke_thread_yield();
}

/* A thread that died of an unhandled exception lives on, inert, until its object is
 * destroyed: get_state still works, and destroying it frees it once (no panic), with
 * nothing left over. */
static void dead_thread(void)
{
	const char *t = "thread-dies";
	fluke_vm_stats_t before, after;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_space_create(&spaces[1]) == 0 && fluke_ref_create(&keeper_ref) == 0);
	CHECK(t, fluke_space_reference(&spaces[1], &keeper_ref) == 0);
	CHECK(t, die_once(&keeper_ref) == 0);	/* warms kmem up */
	CHECK(t, fluke_vm_stats(&before) == 0 && die_once(&keeper_ref) == 0);
	CHECK(t, fluke_vm_stats(&after) == 0);
	CHECK(t, before.free_pages == after.free_pages && before.live_objects == after.live_objects);
	CHECK(t, fluke_space_destroy(&spaces[1]) == 0 && fluke_ref_destroy(&keeper_ref) == 0);
	test_record("PASS", "%s", t);
}

/* Objects at these offsets of a two-page region, and their types. */
static const struct { uint32_t off; int type; } planted[] = {
	{ 0x000, FLUKE_TYPE_MUTEX }, { 0x010, FLUKE_TYPE_PORT }, { 0x7f0, FLUKE_TYPE_COND },
	{ 0xff0, FLUKE_TYPE_REF }, { 0x1000, FLUKE_TYPE_PSET }, { 0x1a20, FLUKE_TYPE_MUTEX },
	{ 0x1ff0, FLUKE_TYPE_REGION },
};
#define NPLANTED (sizeof(planted) / sizeof(planted[0]))

/* Search [0, 2 pages) of r, max entries at a time; 0 if it finds exactly planted,
 * each at base + offset. */
static int search_all(fluke_region_t *r, uint32_t base, uint32_t max)
{
	fluke_search_entry_t found[NPLANTED + 1];
	uint32_t off = 0, total = 0, calls = 0;
	while (off < 2 * PAGE) {
		uint32_t n = max;
		if (fluke_region_search(r, &off, 2 * PAGE - off, &found[total], &n) != 0 ||
		    n > max || total + n > NPLANTED || ++calls > 2 * NPLANTED)
			return -1;
		total += n;
	}
	if (total != NPLANTED)
		return -1;
	for (uint32_t i = 0; i < NPLANTED; i++)
		if (found[i].va != base + planted[i].off || found[i].type != (uint32_t)planted[i].type)
			return -1;
	return 0;
}

static void search(void)
{
	const char *t = "region-search";
	uint32_t base = free_va + 2 * PAGE;
	test_record("BEGIN", "%s", t);
	CHECK(t, build_chain(2, 2) == 0);
	for (uint32_t i = 0; i < NPLANTED; i++)
		CHECK(t, fluke_object_create(planted[i].type, (void *)(LOOP_VA + planted[i].off), 0, 0) == 0);
	CHECK(t, search_all(&reg_a, base, NPLANTED) == 0);	/* addresses in A */
	CHECK(t, search_all(&reg_a, base, 2) == 0);		/* resumed */
	CHECK(t, search_all(&reg_a, base, 1) == 0);
	CHECK(t, search_all(&reg_b, B_VA, 3) == 0);		/* addresses in B */
	CHECK(t, search_all(&reg_c, C_VA, NPLANTED) == 0);	/* in C */
	/* A window in the middle, and nothing where nothing translates. */
	fluke_search_entry_t one[2];
	uint32_t off = 0x800, n = 2;
	CHECK(t, fluke_region_search(&reg_a, &off, 0x1000, one, &n) == 0);
	CHECK(t, n == 2 && one[0].va == base + 0xff0 && one[1].va == base + 0x1000 && off == 0x1800);
	CHECK(t, fluke_mapping_destroy(&map_c) == 0);
	off = 0, n = 2;
	CHECK(t, fluke_region_search(&reg_c, &off, 2 * PAGE, one, &n) == 0 && n == 0 && off == 2 * PAGE);
	CHECK(t, fluke_region_search(&reg_a, (uint32_t *)0xc0000000, PAGE, one, &n) == FLUKE_BAD_ADDRESS);
	for (uint32_t i = 0; i < NPLANTED; i++)
		CHECK(t, fluke_object_destroy((void *)(base + planted[i].off)) == 0);
	n = 2, off = 0;
	CHECK(t, fluke_region_search(&reg_a, &off, 2 * PAGE, one, &n) == 0 && n == 0);
	/* Entries that cannot be written are refused even when nothing is found,
	 * and offset and count are left alone; with room for none, none is needed. */
	fluke_search_entry_t *read_only = (fluke_search_entry_t *)(uintptr_t)search;	/* text */
	n = 2, off = 0;
	CHECK(t, fluke_region_search(&reg_a, &off, 2 * PAGE, read_only, &n) == FLUKE_BAD_ADDRESS);
	CHECK(t, n == 2 && off == 0);
	CHECK(t, fluke_region_search(&reg_a, &off, 2 * PAGE, (void *)0x10, &n) == FLUKE_BAD_ADDRESS);
	n = 0;
	CHECK(t, fluke_region_search(&reg_a, &off, 2 * PAGE, (void *)0x10, &n) == 0 && n == 0);
	CHECK(t, fluke_mapping_create(&map_c) == 0 && destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

/* One search looks at FLUKE_SEARCH_PAGES pages at most and says where to go on: a
 * region whose only object lies past that many pages needs a second call. */
static fluke_mutex_t far_away[PAGE / sizeof(fluke_mutex_t)] __attribute__((aligned(PAGE)));

static void search_budget(void)
{
	const char *t = "region-search-budget";
	uint32_t target = (uint32_t)&far_away[3];
	uint32_t start = (uint32_t)far_away - (FLUKE_SEARCH_PAGES + 1) * PAGE;
	uint32_t size = (FLUKE_SEARCH_PAGES + 2) * PAGE;
	fluke_region_state_t rs = { 0, start, size, FLUKE_PROT_ALL };
	fluke_region_t r;
	fluke_search_entry_t e[64];
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mutex_create(&far_away[3]) == 0 && fluke_region_create(&r) == 0 &&
		 fluke_region_set_state(&r, &rs, &boot->space_ref, 0) == 0);
	uint32_t off = 0, n = 64, calls = 0, seen = 0;
	CHECK(t, fluke_region_search(&r, &off, size, e, &n) == 0);
	CHECK(t, off == FLUKE_SEARCH_PAGES * PAGE);	/* stopped at the limit */
	do {
		for (uint32_t i = 0; i < n; i++)
			seen += e[i].va == target && e[i].type == FLUKE_TYPE_MUTEX;
		n = 64;
		CHECK(t, fluke_region_search(&r, &off, size - off, e, &n) == 0 && ++calls < 8);
	} while (off < size || n);
	CHECK(t, seen == 1);
	CHECK(t, fluke_region_destroy(&r) == 0 && fluke_mutex_destroy(&far_away[3]) == 0);
	test_record("PASS", "%s", t);
}

static fluke_region_t regions[2];
static fluke_mapping_t mappings[2];
static fluke_port_t keeper;

static void state_round_trips(void)
{
	const char *t = "vm-state";
	fluke_space_state_t ss, ss2;
	fluke_region_state_t rs, rs2;
	fluke_mapping_state_t ms, ms2;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_ref_create(&ref_a) == 0 && fluke_ref_create(&ref_b) == 0);
	CHECK(t, fluke_ref_create(&ref_reg) == 0 && fluke_ref_create(&keeper_ref) == 0);
	CHECK(t, fluke_port_create(&keeper) == 0 && fluke_port_reference(&keeper, &keeper_ref) == 0);
	/* Space: the limit may be lowered; mem_used is read-only. */
	CHECK(t, fluke_space_create(&spaces[0]) == 0 && fluke_space_get_state(&spaces[0], &ss, 0) == 0);
	ss.mem_limit /= 2;
	CHECK(t, fluke_space_set_state(&spaces[0], &ss, &keeper_ref) == 0);
	CHECK(t, fluke_space_get_state(&spaces[0], &ss2, &ref_a) == 0);
	CHECK(t, memcmp(&ss, &ss2, sizeof(ss)) == 0 && fluke_ref_compare(&ref_a, &keeper_ref) == 1);
	CHECK(t, fluke_space_reference(&spaces[0], &ref_b) == 0);
	/* Region over the child space. */
	fluke_region_state_t rin = { 0, 0x5000000, 3 * PAGE, FLUKE_PROT_READ | FLUKE_PROT_EXEC };
	CHECK(t, fluke_region_create(&regions[0]) == 0);
	CHECK(t, fluke_region_set_state(&regions[0], &rin, &ref_b, &keeper_ref) == 0);
	CHECK(t, fluke_region_get_state(&regions[0], &rs, &ref_a, &ref_reg) == 0);
	CHECK(t, rs.start_va == rin.start_va && rs.size == rin.size && rs.prot == rin.prot);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_b) == 1 && fluke_ref_compare(&ref_reg, &keeper_ref) == 1);
	CHECK(t, fluke_region_set_state(&regions[0], &rs, 0, 0) == 0);
	CHECK(t, fluke_region_get_state(&regions[0], &rs2, 0, 0) == 0 && memcmp(&rs, &rs2, sizeof(rs)) == 0);
	/* Mapping of it into the child itself, past the region's end (allowed). */
	CHECK(t, fluke_region_reference(&regions[0], &ref_reg) == 0);
	fluke_mapping_state_t min = { 0, PAGE, 0x9000000, 4 * PAGE, FLUKE_PROT_READ };
	CHECK(t, fluke_mapping_create(&mappings[0]) == 0);
	CHECK(t, fluke_mapping_set_state(&mappings[0], &min, &ref_reg, &ref_b) == 0);
	CHECK(t, fluke_mapping_get_state(&mappings[0], &ms, &ref_a, 0) == 0);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_reg) == 1);
	CHECK(t, ms.region_off == PAGE && ms.start_va == 0x9000000 && ms.size == 4 * PAGE);
	CHECK(t, fluke_mapping_set_state(&mappings[0], &ms, 0, 0) == 0);
	CHECK(t, fluke_mapping_get_state(&mappings[0], &ms2, 0, 0) == 0 && memcmp(&ms, &ms2, sizeof(ms)) == 0);
	/* Moves keep state, hash and references. */
	CHECK(t, fluke_space_move(&spaces[0], &spaces[1]) == 0);
	CHECK(t, fluke_region_move(&regions[0], &regions[1]) == 0);
	CHECK(t, fluke_mapping_move(&mappings[0], &mappings[1]) == 0);
	CHECK(t, fluke_space_get_state(&spaces[1], &ss2, 0) == 0 && ss2.hash == ss.hash);
	CHECK(t, fluke_region_get_state(&regions[1], &rs2, &ref_a, 0) == 0 && rs2.hash == rs.hash);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_b) == 1);
	CHECK(t, fluke_mapping_get_state(&mappings[1], &ms2, 0, 0) == 0 && memcmp(&ms, &ms2, sizeof(ms)) == 0);
	CHECK(t, fluke_space_destroy(&spaces[1]) == 0 && fluke_ref_type(&ref_b) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_mapping_get_state(&mappings[1], &ms2, &ref_a, &ref_b) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_REGION && fluke_ref_type(&ref_b) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_region_destroy(&regions[1]) == 0 && fluke_mapping_destroy(&mappings[1]) == 0);
	/* Create with a hash. */
	CHECK(t, fluke_space_create_hash(&spaces[0], 0x5ace0001) == 0);
	CHECK(t, fluke_region_create_hash(&regions[0], 0x5ace0002) == 0);
	CHECK(t, fluke_mapping_create_hash(&mappings[0], 0x5ace0003) == 0);
	CHECK(t, fluke_space_get_state(&spaces[0], &ss, 0) == 0 && ss.hash == 0x5ace0001);
	CHECK(t, fluke_region_get_state(&regions[0], &rs, 0, 0) == 0 && rs.hash == 0x5ace0002);
	CHECK(t, fluke_mapping_get_state(&mappings[0], &ms, 0, 0) == 0 && ms.hash == 0x5ace0003);
	CHECK(t, rs.size == 0 && ms.size == 0 && ss.mem_used == 0);
	CHECK(t, fluke_space_destroy(&spaces[0]) == 0 && fluke_region_destroy(&regions[0]) == 0);
	CHECK(t, fluke_mapping_destroy(&mappings[0]) == 0 && fluke_port_destroy(&keeper) == 0);
	CHECK(t, fluke_ref_destroy(&ref_a) == 0 && fluke_ref_destroy(&ref_b) == 0);
	CHECK(t, fluke_ref_destroy(&ref_reg) == 0 && fluke_ref_destroy(&keeper_ref) == 0);
	test_record("PASS", "%s", t);
}

/* A region mapped back over itself: translation gives up after 16 steps. */
static void cycle(void)
{
	const char *t = "vm-cycle";
	const uint32_t va = LOOP_VA + 0x100000;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_ref_create(&ref_a) == 0 && fluke_space_self(&ref_a) == 0);
	CHECK(t, fluke_ref_create(&ref_reg) == 0);
	CHECK(t, export(&regions[0], &ref_a, va, PAGE) == 0);
	CHECK(t, import(&mappings[0], &regions[0], &ref_a, va, PAGE) == 0);
	CHECK(t, fluke_test_record((const char *)va, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_region_protect(&regions[0], FLUKE_PROT_READ) == 0);
	CHECK(t, fluke_mapping_destroy(&mappings[0]) == 0 && fluke_region_destroy(&regions[0]) == 0);
	CHECK(t, fluke_ref_destroy(&ref_a) == 0 && fluke_ref_destroy(&ref_reg) == 0);
	test_record("PASS", "%s", t);
}

/* One round of building, using and destroying a chain; 0 if all went well. */
static int round_trip(fluke_space_state_t *during)
{
	volatile uint32_t *loop = (uint32_t *)LOOP_VA;
	uint32_t off = 0, n = 1;
	fluke_search_entry_t e;
	if (build_chain(4, 1) || fluke_mutex_create(at(LOOP_VA + 0x40)) || (loop[0] = 7, 0) ||
	    fluke_space_get_state(&boot->space, during, 0) ||
	    fluke_region_search(&reg_c, &off, PAGE, &e, &n) || n != 1 || e.va != C_VA + 0x40 ||
	    fluke_mutex_destroy(at(LOOP_VA + 0x40)))
		return -1;
	return destroy_chain();
}

static void accounting(void)
{
	const char *t = "vm-accounting";
	fluke_vm_stats_t before, after;
	fluke_space_state_t a0, a1, during;
	test_record("BEGIN", "%s", t);
	/* The first round may grow the kernel's caches of object-sized chunks. */
	CHECK(t, round_trip(&during) == 0);
	CHECK(t, fluke_vm_stats(&before) == 0 && fluke_space_get_state(&boot->space, &a0, 0) == 0);
	CHECK(t, round_trip(&during) == 0);
	CHECK(t, fluke_vm_stats(&after) == 0 && fluke_space_get_state(&boot->space, &a1, 0) == 0);
	test_record("METRIC", "vm-free-pages before=%u after=%u pool=%u", before.free_pages,
		    after.free_pages, before.pool_pages);
	test_record("METRIC", "vm-live-objects before=%u after=%u", before.live_objects,
		    after.live_objects);
	test_record("METRIC", "vm-charged before=%u during=%u after=%u", a0.mem_used, during.mem_used,
		    a1.mem_used);
	CHECK(t, before.free_pages == after.free_pages && before.live_objects == after.live_objects);
	CHECK(t, a0.mem_used == a1.mem_used && during.mem_used > a0.mem_used + 2 * PAGE);
	test_record("PASS", "%s", t);
}

/* Objects of charge_round, in a page of A's free memory: threads, then mutexes. */
#define CHARGE_SLOTS	(PAGE / sizeof(fluke_mutex_t))
#define charge_slot(i)	((void *)(free_va + 8 * PAGE + (i) * sizeof(fluke_mutex_t)))

static uint32_t mem_used(void)
{
	fluke_space_state_t st;
	fluke_space_get_state(&boot->space, &st, 0);
	return st.mem_used;
}

/* Create objects of type in the slots from *n on until the charge limit refuses one;
 * each must be charged the same (*each bytes). 0 if so and the limit stopped it. */
static int fill(int type, uint32_t *n, uint32_t limit, uint32_t *each)
{
	uint32_t used = mem_used();
	*each = 0;
	for (; *n < CHARGE_SLOTS; ++*n, used = mem_used()) {
		int r = fluke_object_create(type, charge_slot(*n), 0, 0);
		if (r == FLUKE_NO_MEMORY)
			return used + *each > limit && used <= limit ? 0 : -1;
		if (r != 0 || (*each && mem_used() - used != *each))
			return -1;
		*each = mem_used() - used;
	}
	return -1;	/* ran out of slots before the limit */
}

/* One round: fill A's charge up to its limit with threads, then mutexes; the rest
 * still works at the limit; destroying them all gives back exactly the charge.
 * Returns how many objects were made, or 0 if something went wrong. */
static uint32_t charge_round(uint32_t limit, uint32_t *thread_kmem, uint32_t *mutex_kmem)
{
	uint32_t before = mem_used(), n = 0, threads;
	fluke_vm_stats_t st;
	if (fill(FLUKE_TYPE_THREAD, &n, limit, thread_kmem) || *thread_kmem < PAGE)
		return 0;
	threads = n;
	if (fill(FLUKE_TYPE_MUTEX, &n, limit, mutex_kmem) || *mutex_kmem == 0 || n == threads)
		return 0;
	/* At the limit: existing objects work, and a freed charge can be used again. */
	if (fluke_mutex_lock(charge_slot(n - 1)) || fluke_mutex_unlock(charge_slot(n - 1)) ||
	    fluke_vm_stats(&st) || fluke_mutex_destroy(charge_slot(n - 1)) ||
	    fluke_mutex_create(charge_slot(n - 1)) ||
	    fluke_mutex_create(charge_slot(n)) != FLUKE_NO_MEMORY)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (fluke_object_destroy(charge_slot(i)))
			return 0;
	fluke_thread_yield();	/* the scheduler frees dead threads' stacks */
	return mem_used() == before ? n : 0;
}

/* Every object is charged to its creator's space: A, its limit lowered to 64 KiB
 * above what it uses, makes threads and mutexes until the kernel refuses. */
static void charge_all(void)
{
	const char *t = "vm-charge-all";
	fluke_space_state_t self;
	fluke_vm_stats_t before, after;
	uint32_t tk, mk, n1, n2;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_space_get_state(&boot->space, &self, 0) == 0);
	self.mem_limit = self.mem_used + 16 * PAGE;
	CHECK(t, fluke_space_set_state(&boot->space, &self, 0) == 0);
	CHECK(t, (n1 = charge_round(self.mem_limit, &tk, &mk)) != 0);	/* warms kmem up */
	CHECK(t, fluke_vm_stats(&before) == 0);
	CHECK(t, (n2 = charge_round(self.mem_limit, &tk, &mk)) == n1);
	CHECK(t, fluke_vm_stats(&after) == 0);
	test_record("METRIC", "vm-charge-all objects=%u thread=%u mutex=%u limit=%u", n2, tk, mk,
		    self.mem_limit - self.mem_used);
	test_record("METRIC", "vm-charge-all free-pages before=%u after=%u live=%u/%u",
		    before.free_pages, after.free_pages, before.live_objects, after.live_objects);
	CHECK(t, before.free_pages == after.free_pages && before.live_objects == after.live_objects);
	test_record("PASS", "%s", t);
}

/* Runs in C: a mark in the chain's page, then an endless loop, until C's CPU
 * budget ends it. */
static void child_spin(void)
{
	((volatile uint32_t *)C_VA)[5] = 1;
	for (;;)
		__asm__ volatile("");
}

#define CPU_TURNS	1000000u	/* of a two-instruction loop */
#define CPU_SLACK	2000u		/* a system call's way out and in, a timer tick */
#define CPU_LIMIT	30000000u	/* C's budget: three ticks' worth */
#define CPU_TICK	10000000u	/* a timer tick of guest time (TIMER_HZ 100) */
#define CPU_STOP	100000u		/* the kernel's work to stop and report a thread */

/* The CPU budget counts instructions (time-stamp counts under -icount): a loop of
 * 2 * CPU_TURNS instructions is charged to this space exactly, but for the calls
 * around it and a tick; a thread of C under a budget, with no keeper, dies of it
 * within a tick of the limit (C's count then stays), and what it ran is C's, not
 * this space's; a new thread of the spent C dies before its first instruction
 * (its mark is not made, though the page it writes is in C's page tables by
 * then: no fault lets the kernel in). The thread's own get_state would stop it:
 * C's state tells. */
static void cpu(void)
{
	const char *t = "vm-cpu";
	struct fluke_boot_area *text = 0;
	fluke_space_state_t a0, a1, a2, st, later;
	fluke_thread_state_t ts = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)child_spin,
				    .esp = C_VA + PAGE - 64 };
	uint32_t n = CPU_TURNS;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_space_get_state(&boot->space, &a0, 0) == 0);
	__asm__ volatile("1: dec %0; jnz 1b" : "+r"(n));
	CHECK(t, fluke_space_get_state(&boot->space, &a1, 0) == 0);
	uint64_t loop = a1.cpu_used - a0.cpu_used;
	test_record("METRIC", "vm-cpu loop=%u charged=%llu", 2 * CPU_TURNS, loop);
	CHECK(t, loop >= 2 * CPU_TURNS && loop < 2 * CPU_TURNS + CPU_SLACK);

	for (uint32_t i = FLUKE_BOOT_SEGMENTS; i < boot->nareas; i++)
		if (boot->areas[i].prot & FLUKE_PROT_EXEC)
			text = &boot->areas[i];
	CHECK(t, text != 0 && build_chain(6, 1) == 0);
	CHECK(t, import(&text_in_c, &text->region, &ref_c, text->start_va, text->size) == 0);
	CHECK(t, fluke_space_get_state(&space_c, &st, 0) == 0 && st.cpu_limit == 0);
	st.cpu_limit = CPU_LIMIT;
	CHECK(t, fluke_space_set_state(&space_c, &st, 0) == 0);
	CHECK(t, fluke_space_get_state(&boot->space, &a1, 0) == 0);
	CHECK(t, fluke_thread_create(&child) == 0);
	CHECK(t, fluke_thread_set_state(&child, &ts, &ref_c, 0) == 0);
	for (int i = 0; i < 100 && st.cpu_used < CPU_LIMIT; i++) {
		fluke_thread_yield();
		CHECK(t, fluke_space_get_state(&space_c, &st, 0) == 0);
	}
	CHECK(t, fluke_space_get_state(&boot->space, &a2, 0) == 0);
	/* Spent at a tick, the thread may not have been told yet: then it dies now. */
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();
	CHECK(t, fluke_space_get_state(&space_c, &st, 0) == 0);
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();
	CHECK(t, fluke_space_get_state(&space_c, &later, 0) == 0);
	test_record("METRIC", "vm-cpu limit=%llu used=%llu waiter=%llu", st.cpu_limit, st.cpu_used,
		    a2.cpu_used - a1.cpu_used);
	CHECK(t, st.cpu_used >= CPU_LIMIT && st.cpu_used < CPU_LIMIT + CPU_TICK + CPU_STOP);
	CHECK(t, later.cpu_used == st.cpu_used);
	CHECK(t, a2.cpu_used - a1.cpu_used < CPU_LIMIT / 10);
	CHECK(t, ((volatile uint32_t *)LOOP_VA)[5] == 1 && fluke_thread_destroy(&child) == 0);
	((volatile uint32_t *)LOOP_VA)[5] = 0;
	ts = (fluke_thread_state_t){ .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)child_spin,
				     .esp = C_VA + PAGE - 64 };
	CHECK(t, fluke_thread_create(&child) == 0);
	CHECK(t, fluke_thread_set_state(&child, &ts, &ref_c, 0) == 0);
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();
	CHECK(t, ((volatile uint32_t *)LOOP_VA)[5] == 0);
	CHECK(t, fluke_thread_destroy(&child) == 0 && fluke_mapping_destroy(&text_in_c) == 0);
	CHECK(t, destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

/* Last: it leaves the first task with almost no room for kernel memory. */
static void limit(void)
{
	const char *t = "vm-limit";
	fluke_space_state_t st, self;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_space_create(&spaces[0]) == 0 && fluke_space_get_state(&spaces[0], &st, 0) == 0);
	st.mem_limit = 1000;	/* a parent lowers its child's limit */
	CHECK(t, fluke_space_set_state(&spaces[0], &st, 0) == 0);
	CHECK(t, fluke_space_get_state(&spaces[0], &st, 0) == 0 && st.mem_limit == 1000);
	CHECK(t, fluke_space_destroy(&spaces[0]) == 0);
	CHECK(t, fluke_space_get_state(&boot->space, &self, 0) == 0);
	self.mem_limit = self.mem_used + 200;
	CHECK(t, fluke_space_set_state(&boot->space, &self, 0) == 0);
	CHECK(t, fluke_space_create(&spaces[0]) == FLUKE_NO_MEMORY);	/* a directory: 4 KiB */
	CHECK(t, fluke_region_create(&regions[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_region_destroy(&regions[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_space_get_state(&boot->space, &st, 0) == 0 && st.mem_used == self.mem_used);
	test_record("PASS", "%s", t);
}

/* Write tracking (fluke_region_dirty) of reg_a in A -> B -> C -> A over pages 12 to
 * 14: the writes through the chain, the kernel's for A and object calls are
 * reported, reads and A's own writes to its pages are not, a report starts over,
 * and so does a region whose range changed. */
static void dirty(void)
{
	const char *t = "vm-dirty";
	volatile uint32_t *mine = (uint32_t *)(free_va + 12 * PAGE), *loop = (uint32_t *)LOOP_VA;
	uint32_t bits[2], used;
	fluke_region_state_t rs;
	test_record("BEGIN", "%s", t);
	CHECK(t, build_chain(12, 3) == 0);
	loop[0] = 1;			/* a writable PTE, cached before tracking starts */
	CHECK(t, fluke_region_dirty(&reg_a, bits, 0) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_region_dirty(&reg_a,
				    (uint32_t *)boot->areas[FLUKE_BOOT_BOOTFS].start_va, 1) ==
		 FLUKE_BAD_ADDRESS);
	/* The first report: every page (nothing was tracked), the bitmap charged;
	 * then none. */
	used = mem_used();
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 7);
	CHECK(t, mem_used() == used + 4);
	CHECK(t, fluke_region_dirty(&reg_a, bits, 2) == 0 && bits[0] == 0);
	loop[0] = 2;			/* that PTE was revoked: seen */
	CHECK(t, loop[PAGE / 4] == mine[PAGE / 4]);	/* a read is not a write */
	mine[2 * PAGE / 4] = 3;		/* A's own store, not through reg_a */
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 1);
	loop[PAGE / 4] = 4;		/* read first, then written: seen */
	CHECK(t, fluke_vm_stats((void *)(LOOP_VA + 2 * PAGE)) == 0);	/* the kernel's */
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 6);
	CHECK(t, mine[0] == 2 && mine[PAGE / 4] == 4);
	CHECK(t, fluke_mutex_create(at(LOOP_VA + 0x100)) == 0);	/* an object call */
	CHECK(t, fluke_mutex_destroy(at(free_va + 12 * PAGE + 0x100)) == 0);
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 1);
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 0);
	/* A new range: tracking ends (the bitmap given back) and starts over. */
	CHECK(t, fluke_region_get_state(&reg_a, &rs, 0, 0) == 0);
	rs.size = 2 * PAGE;
	used = mem_used();
	CHECK(t, fluke_region_set_state(&reg_a, &rs, 0, 0) == 0 && mem_used() == used - 4);
	CHECK(t, fluke_region_dirty(&reg_a, bits, 1) == 0 && bits[0] == 3);
	/* Destroying it gives the bitmap back too: 4 bytes more than a region's. */
	used = mem_used();
	CHECK(t, fluke_region_destroy(&reg_a) == 0 && fluke_region_create(&reg_a) == 0);
	CHECK(t, mem_used() == used - 4);
	CHECK(t, destroy_chain() == 0);
	test_record("PASS", "%s", t);
}

/* vmcheck fault=WHAT: see the top of this file. */
static void misuse(const char *what)
{
	volatile uint32_t *loop = (uint32_t *)LOOP_VA;
	struct fluke_boot_area *fr = &boot->areas[FLUKE_BOOT_FREE];
	if (build_chain(5, 1) != 0) {
		printf("vmcheck: could not build the chain\n");
		return;
	}
	uint32_t v = loop[0];	/* caches A's PTE for LOOP_VA */
	printf("vmcheck: about to misuse the memory calls (%s) after reading %u\n", what, v);
	if (strcmp(what, "protect") == 0) {
		test_record("INFO", "expect-fault region=%08x why=protection", hash_of_region(&reg_a));
		fluke_region_protect(&reg_a, FLUKE_PROT_NONE);
		v = loop[0];
	} else if (strcmp(what, "unmapped") == 0) {
		test_record("INFO", "expect-fault region=%08x why=no-mapping", hash_of_region(&reg_c));
		fluke_mapping_destroy(&map_c);
		v = loop[0];
	} else if (strcmp(what, "overlap") == 0) {
		import(&mappings[0], &reg_c, &ref_a, LOOP_VA, PAGE);	/* ADDRESS_OVERLAP */
	} else if (strcmp(what, "misaligned") == 0) {
		export(&regions[0], &ref_a, free_va + 0x10, PAGE);	/* NOT_ALIGNED */
	} else if (strcmp(what, "kernel") == 0) {
		import(&mappings[0], &reg_c, &ref_a, 0xc0000000, PAGE);	/* INVALID_ADDRESS */
	} else if (strcmp(what, "prot") == 0) {
		fluke_region_protect(&fr->region, 0x10);		/* INVALID_PROT */
	} else if (strcmp(what, "nocreate") == 0) {
		fluke_mapping_protect(&fr->mapping, FLUKE_PROT_READ | FLUKE_PROT_WRITE);
		fluke_mutex_create(at(free_va + 2 * PAGE));		/* INVALID_PROT */
	} else if (strcmp(what, "dirty") == 0) {
		fluke_region_dirty(&map_b, &v, 1);			/* NOT_REGION */
	}
	printf("vmcheck: still running after the misuse (%u)\n", v);
}

int main(int argc, char **argv, struct fluke_boot_info *info)
{
	boot = info;
	free_va = boot->areas[FLUKE_BOOT_FREE].start_va;
	if (argc > 1 && strncmp(argv[1], "fault=", 6) == 0) {
		misuse(argv[1] + 6);
		return 1;
	}
	boot_info();
	space_basics();
	shared_mutex();
	chain();
	thread_in_child();
	dead_thread();
	search();
	search_budget();
	state_round_trips();
	cycle();
	accounting();
	charge_all();
	dirty();
	cpu();
	limit();
	printf("vmcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
