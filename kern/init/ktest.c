/*
 * ktest=fault dereferences an unmapped kernel address on purpose, so that the
 * grader can check the panic report: trap name, registers, symbolized backtrace.
 * ktest=objpage checks that objects live in physical memory, not in spaces: they
 * survive the destruction of the space they were created through, and destroying
 * the objects of a page (before it is freed) nulls references held elsewhere.
 * ktest=ticks idles, interrupts on, for three timer ticks: a quiet machine on which
 * debugger tests can break on the timer interrupt.
 */
#include "init/ktest.h"
#include "init/cmdline.h"
#include "debug/panic.h"
#include "debug/record.h"
#include "dev/timer.h"
#include "arch/x86.h"
#include "lib/printf.h"
#include "mm/pmem.h"
#include "object/object.h"
#include "object/ref.h"
#include "vm/region.h"
#include <fluke/vm.h>
#include <string.h>

/* noinline keeps ktest_fault a frame of its own in the backtrace. */
__attribute__((noinline)) static void ktest_fault(void)
{
	volatile uint32_t *bad = (uint32_t *)0x10;	/* below KERNBASE: unmapped */
	kprintf("ktest: reading address 0x%x in kernel mode\n", (unsigned)(uintptr_t)bad);
	(void)*bad;
	panic("ktest_fault: the read did not fault");
}

static void ktest_objpage(void)
{
	const uint32_t va = 0x1000000, prot = FLUKE_PROT_READ | FLUKE_PROT_WRITE |
					       FLUKE_PROT_CREATE_OB;
	record_emit("BEGIN", "ktest-objpage");
	/* The space, its region and its mapping live in the page they map. */
	paddr_t page = page_alloc(), pa;
	struct object *s = page ? object_new(FLUKE_TYPE_SPACE, page, 0, 0) : NULL;
	struct object *r = s ? object_new(FLUKE_TYPE_REGION, page + 16, 0, 0) : NULL;
	struct object *mp = r ? object_new(FLUKE_TYPE_MAPPING, page + 32, 0, 0) : NULL;
	if (!mp)
		panic("ktest objpage: out of memory");
	region_setup((struct region *)r, &phys_space, page, PAGE_SIZE, prot);
	if (mapping_setup((struct mapping *)mp, (struct region *)r, (struct space *)s, 0, va,
			  PAGE_SIZE, prot) != 0 ||
	    object_slot((struct space *)s, va + 64, 1, &pa) != 0 || pa != page + 64)
		panic("ktest objpage: the mapped page refuses objects");
	struct object *m = object_new(FLUKE_TYPE_MUTEX, pa, 0, 0);
	struct object *ref = object_new(FLUKE_TYPE_REF, pa + 16, 0, 0);
	struct link outside = { 0 };	/* a link held outside the page */
	if (!m || !ref)
		panic("ktest objpage: out of memory");
	link_set(&((struct ref *)ref)->link, m);
	link_set(&outside, m);
	uint32_t free_before = pmem_free_pages();
	object_destroy(s);	/* frees its page directory and tables; the objects stay */
	int survived = object_at(pa) == m && outside.target == m &&
		       pmem_free_pages() > free_before;
	uint32_t free_after_space = pmem_free_pages();
	object_destroy_page(page);
	page_free(page);
	if (!survived || page_info(page)->objects != 0 || object_at(pa) || object_at(pa + 16) ||
	    outside.target != NULL || pmem_free_pages() != free_after_space + 1)
		record_emit("FAIL", "ktest-objpage: objects outlived their page or died with the space");
	else
		record_emit("PASS", "ktest-objpage");
}

static void ktest_ticks(void)
{
	uint64_t until = timer_ticks + 3;
	while (timer_ticks < until) {
		sti();
		hlt();
		cli();
	}
	kprintf("ktest: %llu timer ticks\n", timer_ticks);
}

struct ktest {
	const char *name;
	void (*run)(void);
};

static const struct ktest tests[] = {
	{ "fault", ktest_fault },
	{ "objpage", ktest_objpage },
	{ "ticks", ktest_ticks },
};

void ktest_run(const char *cmdline)
{
	char name[32];
	if (!cmdline_value(cmdline, "ktest", name, sizeof(name)))
		return;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(tests[i].name, name) == 0) {
			tests[i].run();
			record_end(END_OK);
		}
	kprintf("ktest: no self-test '%s'; known:", name);
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		kprintf(" %s", tests[i].name);
	kprintf("\n");
	record_end(END_TASK_FAILED);
}
