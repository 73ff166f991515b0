/*
 * Keepers (include/fluke/abi/keeper.h). The first task (A) runs a child thread
 * in a space C of its own making and serves C's faults and exceptions itself:
 *   pager        C touches 1,000 pages of a region A keeps but has not backed:
 *                each fault reaches A, which backs the page with a zeroed one
 *                from its cache of pages zeroed ahead of the faults
 *   cow          C writes to a page it sees read-only: A gives C a private copy
 *   exceptions   C divides by zero and hits int3; C's space keeper (A) reads the
 *                registers, moves eip past the instruction, and C goes on
 *   single-step  A sets TF in C's eflags: one exception per instruction
 *   syscalls     C's system calls use memory A has not backed yet (syscalls.c)
 *   keepcheck deadlock   A touches a page it keeps itself: reported, not a hang
 * C runs A's program text (mapped at the same address) with its own stack; the
 * child code below uses only its stack and the memory A gives it.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/tsc.h>
#include "keepcheck.h"

#define NPAGES		1000u
#define COW_C		0x58000000u	/* C's copy-on-write page */
#define DONE		0xd09eu		/* what the child leaves in its first word */

struct fluke_boot_info *boot;
static uint32_t next_free;		/* next unused page of A's free memory */

static fluke_space_t space_c;
fluke_thread_t child, child2;
static int have_child2;
static fluke_region_t reg_stack, reg_cow, reg_copy;
fluke_region_t reg_data;
static fluke_mapping_t map_text, map_stack, map_cow;
fluke_mapping_t map_data;
fluke_mapping_t backing[NPAGES];
static fluke_port_t port;
static fluke_pset_t pset;
fluke_ref_t ref_self, ref_c, ref_port, ref_thread, ref_about;
static fluke_ref_t ref_tmp;

/* One page of A's free memory, zeroed: its address in A. */
uint32_t take_page(void)
{
	uint32_t va = next_free;
	next_free += PAGE;
	memset((void *)va, 0, PAGE);
	return va;
}

/* The pager's zeroed-page cache: pages zeroed ahead of the faults that need them,
 * as a pager would while it waits, so that a fault costs no zeroing. */
static uint32_t zeroed[NPAGES], nzeroed;

static void zero_ahead(uint32_t n)
{
	while (nzeroed < n && nzeroed < NPAGES)
		zeroed[nzeroed++] = take_page();
}

static uint32_t take_zeroed(void)
{
	return nzeroed ? zeroed[--nzeroed] : take_page();
}

int region(fluke_region_t *r, const fluke_ref_t *space, uint32_t va, uint32_t size,
		  uint32_t prot, const fluke_ref_t *keeper)
{
	fluke_region_state_t st = { 0, va, size, prot };
	return fluke_region_create(r) || fluke_region_set_state(r, &st, space, keeper);
}

int mapping(fluke_mapping_t *m, fluke_region_t *r, uint32_t off, const fluke_ref_t *space,
		   uint32_t va, uint32_t size, uint32_t prot)
{
	fluke_mapping_state_t st = { 0, off, va, size, prot };
	return fluke_mapping_create(m) || fluke_region_reference(r, &ref_tmp) ||
	       fluke_mapping_set_state(m, &st, &ref_tmp, space);
}

/* --- Code the child runs in C: its stack and DATA_C only. ------------------- */

static void child_pages(uint32_t base, uint32_t n)
{
	volatile uint32_t *w = (uint32_t *)base;
	uint32_t bad = 0;
	for (uint32_t i = 1; i < n; i++) {	/* page 0 holds the results */
		volatile uint32_t *p = (uint32_t *)(base + i * PAGE);
		bad += p[0] != 0 || p[PAGE / 4 - 1] != 0;	/* zero-filled */
		p[0] = i;
		p[PAGE / 4 - 1] = ~i;
	}
	for (uint32_t i = 1; i < n; i++) {
		volatile uint32_t *p = (uint32_t *)(base + i * PAGE);
		bad += p[0] != i || p[PAGE / 4 - 1] != ~i;
	}
	w[1] = bad;
	w[0] = DONE;
	__asm__ volatile("int3");	/* tell the keeper: done */
	for (;;)
		;
}

static void child_cow(uint32_t page, uint32_t unused)
{
	(void)unused;
	volatile uint32_t *p = (uint32_t *)page;
	p[1] = p[0] + 1;		/* a read, then a write: the write faults once */
	__asm__ volatile("int3");
	for (;;)
		;
}

static void child_exceptions(uint32_t unused1, uint32_t unused2)
{
	(void)unused1, (void)unused2;
	__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
	__asm__ volatile("int3");
	__asm__ volatile("pushfl; orl $0x100, (%%esp); popfl\n\t"
			 "nop; nop; nop; nop; nop\n\t"
			 "pushfl; andl $~0x100, (%%esp); popfl" : : : "memory", "cc");
	__asm__ volatile("int3");
	for (;;)
		;
}

/* --- The keeper side, in A. ------------------------------------------------ */

/* Start thread t in C at fn(a1, a2) on the C stack page whose A address is page. */
static int start_thread(fluke_thread_t *t, uint32_t page, uint32_t c_page,
			void (*fn)(uint32_t, uint32_t), uint32_t a1, uint32_t a2)
{
	uint32_t *sp = (uint32_t *)(page + PAGE - 16);	/* A's view of the stack top */
	sp[0] = 0;		/* return address: none */
	sp[1] = a1;
	sp[2] = a2;
	fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT, .eip = (uint32_t)fn,
				    .esp = c_page + PAGE - 16 };
	return fluke_thread_create(t) || fluke_thread_set_state(t, &st, &ref_c, 0);
}

/* Build C with A's text and two stack pages, and start fn(a1, a2) in it. */
int start_child(void (*fn)(uint32_t, uint32_t), uint32_t a1, uint32_t a2)
{
	struct fluke_boot_area *text = 0;
	for (uint32_t i = FLUKE_BOOT_SEGMENTS; i < boot->nareas; i++)
		if (boot->areas[i].prot & FLUKE_PROT_EXEC)
			text = &boot->areas[i];
	uint32_t stack = take_page();
	take_page();		/* the second stack page, for start_child2 */
	if (!text || fluke_space_create(&space_c) || fluke_space_reference(&space_c, &ref_c) ||
	    fluke_space_set_state(&space_c, 0, &ref_port) ||
	    mapping(&map_text, &text->region, 0, &ref_c, text->start_va, text->size,
		    FLUKE_PROT_READ | FLUKE_PROT_EXEC) ||
	    region(&reg_stack, &ref_self, stack, 2 * PAGE, FLUKE_PROT_ALL, 0) ||
	    mapping(&map_stack, &reg_stack, 0, &ref_c, STACK_C, 2 * PAGE, FLUKE_PROT_ALL))
		return -1;
	return start_thread(&child, stack, STACK_C, fn, a1, a2);
}

int start_child2(void (*fn)(uint32_t, uint32_t), uint32_t a1, uint32_t a2)
{
	fluke_region_state_t rs;
	if (fluke_region_get_state(&reg_stack, &rs, 0, 0))
		return -1;
	have_child2 = 1;
	return start_thread(&child2, rs.start_va + PAGE, STACK_C + PAGE, fn, a1, a2);
}

void stop_child(void)
{
	fluke_space_destroy(&space_c);
	fluke_thread_destroy(&child);
	if (have_child2)
		fluke_thread_destroy(&child2);
	have_child2 = 0;
	fluke_mapping_destroy(&map_text);
	fluke_mapping_destroy(&map_stack);
	fluke_region_destroy(&reg_stack);
}

fluke_keeper_msg_t msg;
/* Wait for the next request (answering the last one first if `answer`; with
 * `fail`, say it could not be handled). */
int next_request(int answer, int fail)
{
	return fluke_keeper_next(&pset, answer, fail, &msg, &ref_thread, &ref_about) ? -1 : 0;
}

static void pager(void)
{
	const char *t = "keeper-pager";
	uint32_t faults = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, region(&reg_data, &ref_self, BACK_A, NPAGES * PAGE, FLUKE_PROT_ALL, &ref_port) == 0);
	CHECK(t, start_child(child_pages, DATA_C, NPAGES) == 0);
	CHECK(t, mapping(&map_data, &reg_data, 0, &ref_c, DATA_C, NPAGES * PAGE, FLUKE_PROT_ALL) == 0);
	int answer = 0;
	uint64_t z0 = fluke_rdtsc();
	zero_ahead(NPAGES);
	uint64_t t0 = fluke_rdtsc();
	for (;;) {
		CHECK(t, next_request(answer, 0) == 0);
		if (msg.kind != FLUKE_KEEPER_PAGE_FAULT)
			break;
		CHECK(t, msg.why == FLUKE_FAULT_NO_MAPPING && msg.access != 0);
		CHECK(t, msg.addr == DATA_C + msg.offset && msg.offset < NPAGES * PAGE);
		uint32_t page_off = msg.offset & ~(PAGE - 1);
		CHECK(t, fluke_ref_type(&ref_about) == FLUKE_TYPE_REGION);
		/* Back the page: map a zeroed page of A's free memory at BACK_A + offset. */
		uint32_t pg = take_zeroed();
		fluke_region_t *free_reg = &boot->areas[FLUKE_BOOT_FREE].region;
		uint32_t off = pg - boot->areas[FLUKE_BOOT_FREE].start_va;
		CHECK(t, mapping(&backing[page_off / PAGE], free_reg, off, &ref_self,
				 BACK_A + page_off, PAGE, FLUKE_PROT_ALL) == 0);
		faults++;
		answer = 1;
	}
	uint64_t t1 = fluke_rdtsc();
	CHECK(t, msg.kind == FLUKE_KEEPER_EXCEPTION && msg.exc == FLUKE_EXC_BREAKPOINT);
	volatile uint32_t *results = (uint32_t *)BACK_A;
	CHECK(t, results[0] == DONE && results[1] == 0);	/* all 999 pages read back */
	CHECK(t, faults == NPAGES);
	stop_child();
	fluke_mapping_destroy(&map_data);
	fluke_region_destroy(&reg_data);
	for (uint32_t i = 0; i < NPAGES; i++)
		fluke_mapping_destroy(&backing[i]);
	/* The child's own work between faults is a few instructions a page; zeroing a
	 * page for the cache is counted apart. */
	test_record("METRIC", "keeper_faults=%u keeper_fault_tsc=%u keeper_zero_page_tsc=%u",
		    faults, (unsigned)((t1 - t0) / faults), (unsigned)((t0 - z0) / NPAGES));
	test_record("PASS", "%s", t);
}

static void cow(void)
{
	const char *t = "keeper-cow";
	uint32_t orig = take_page(), copy = take_page();
	test_record("BEGIN", "%s", t);
	*(volatile uint32_t *)orig = 41;
	/* C sees A's page through a read-only region: writes fault to A. */
	CHECK(t, region(&reg_cow, &ref_self, orig, PAGE, FLUKE_PROT_READ, &ref_port) == 0);
	CHECK(t, start_child(child_cow, COW_C, 0) == 0);
	CHECK(t, mapping(&map_cow, &reg_cow, 0, &ref_c, COW_C, PAGE, FLUKE_PROT_ALL) == 0);
	CHECK(t, next_request(0, 0) == 0);
	CHECK(t, msg.kind == FLUKE_KEEPER_PAGE_FAULT && msg.why == FLUKE_FAULT_PROT);
	CHECK(t, msg.access == FLUKE_PROT_WRITE && msg.addr == COW_C + 4);
	/* Copy the page and point C's mapping at the private copy, writable. */
	memcpy((void *)copy, (void *)orig, PAGE);
	fluke_mapping_state_t ms = { 0, 0, COW_C, PAGE, FLUKE_PROT_ALL };
	CHECK(t, region(&reg_copy, &ref_self, copy, PAGE, FLUKE_PROT_ALL, 0) == 0);
	CHECK(t, fluke_region_reference(&reg_copy, &ref_tmp) == 0);
	CHECK(t, fluke_mapping_set_state(&map_cow, &ms, &ref_tmp, 0) == 0);
	CHECK(t, next_request(1, 0) == 0);
	CHECK(t, msg.kind == FLUKE_KEEPER_EXCEPTION && msg.exc == FLUKE_EXC_BREAKPOINT);
	CHECK(t, ((volatile uint32_t *)copy)[1] == 42);		/* C wrote its copy */
	CHECK(t, ((volatile uint32_t *)orig)[1] == 0);		/* A's page is untouched */
	stop_child();
	fluke_mapping_destroy(&map_cow);
	fluke_region_destroy(&reg_cow);
	fluke_region_destroy(&reg_copy);
	test_record("PASS", "%s", t);
}

static void exceptions(void)
{
	const char *t = "keeper-exceptions";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, start_child(child_exceptions, 0, 0) == 0);
	CHECK(t, next_request(0, 0) == 0);
	CHECK(t, msg.kind == FLUKE_KEEPER_EXCEPTION && msg.exc == FLUKE_EXC_DIVIDE);
	CHECK(t, fluke_ref_type(&ref_thread) == FLUKE_TYPE_THREAD);
	CHECK(t, fluke_ref_type(&ref_about) == FLUKE_TYPE_SPACE);
	/* The keeper has C's thread at its own address: read, skip the divl, resume. */
	CHECK(t, fluke_thread_get_state(&child, &st, 0, 0, 0, 0, 0) == 0);
	CHECK(t, st.eip == msg.eip && ((uint8_t *)st.eip)[0] == 0xf7);	/* divl */
	st.eip += 2;
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&child, &st, 0, 0) == 0);
	CHECK(t, next_request(1, 0) == 0);	/* the reply finds nobody waiting: dropped */
	CHECK(t, msg.kind == FLUKE_KEEPER_EXCEPTION && msg.exc == FLUKE_EXC_BREAKPOINT);
	/* int3 is a trap: eip is past it already. Set TF and let it run. */
	CHECK(t, fluke_thread_get_state(&child, &st, 0, 0, 0, 0, 0) == 0);
	CHECK(t, st.eip == msg.eip);
	test_record("PASS", "%s", t);

	const char *s = "keeper-single-step";
	uint32_t steps = 0;
	test_record("BEGIN", "%s", s);
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(s, fluke_thread_set_state(&child, &st, 0, 0) == 0);
	for (;;) {
		CHECK(s, next_request(1, 0) == 0 && msg.kind == FLUKE_KEEPER_EXCEPTION);
		if (msg.exc != FLUKE_EXC_DEBUG)
			break;
		steps++;
	}
	CHECK(s, msg.exc == FLUKE_EXC_BREAKPOINT);
	CHECK(s, steps == 8);		/* 5 nops, pushfl, andl, popfl */
	stop_child();
	test_record("PASS", "%s", s);
}

/* A touches the memory it keeps itself: the kernel must say so, not hang. */
static void deadlock(void)
{
	CHECK("keeper-deadlock", region(&reg_data, &ref_self, BACK_A, PAGE, FLUKE_PROT_ALL,
					&ref_port) == 0);
	CHECK("keeper-deadlock", start_child(child_pages, DATA_C, 2) == 0);
	CHECK("keeper-deadlock", mapping(&map_data, &reg_data, 0, &ref_c, DATA_C, PAGE,
					 FLUKE_PROT_ALL) == 0);
	CHECK("keeper-deadlock", next_request(0, 0) == 0);	/* now A serves the set */
	test_record("INFO", "touching memory this keeper keeps");
	/* Map the region back into A too, and touch it: A is its own keeper. */
	fluke_mapping_t loop;
	CHECK("keeper-deadlock", mapping(&loop, &reg_data, 0, &ref_self, 0x78000000u, PAGE,
					 FLUKE_PROT_ALL) == 0);
	*(volatile uint32_t *)0x78000000u = 1;
	printf("keepcheck: the self-keeping fault was survived?\n");
}

int main(int argc, char **argv, struct fluke_boot_info *info)
{
	boot = info;
	next_free = boot->areas[FLUKE_BOOT_FREE].start_va;
	fluke_port_state_t ps = { 0, 7 };
	if (fluke_ref_create(&ref_self) || fluke_ref_create(&ref_c) || fluke_ref_create(&ref_tmp) ||
	    fluke_ref_create(&ref_port) || fluke_ref_create(&ref_thread) ||
	    fluke_ref_create(&ref_about) || fluke_space_self(&ref_self) ||
	    fluke_pset_create(&pset) || fluke_port_create(&port) ||
	    fluke_pset_reference(&pset, &ref_tmp) || fluke_port_set_state(&port, &ps, &ref_tmp) ||
	    fluke_port_reference(&port, &ref_port)) {
		test_record("FAIL", "keepcheck setup");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
		deadlock();
		return 1;
	}
	pager();
	cow();
	exceptions();
	syscalls();
	printf("keepcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
