/*
 * ktest=fault dereferences an unmapped kernel address on purpose, so that the
 * grader can check the panic report: trap name, registers, symbolized backtrace.
 */
#include "init/ktest.h"
#include "init/cmdline.h"
#include "debug/panic.h"
#include "debug/record.h"
#include "lib/printf.h"
#include <string.h>

/* noinline keeps ktest_fault a frame of its own in the backtrace. */
__attribute__((noinline)) static void ktest_fault(void)
{
	volatile uint32_t *bad = (uint32_t *)0x10;	/* below KERNBASE: unmapped */
	kprintf("ktest: reading address 0x%x in kernel mode\n", (unsigned)(uintptr_t)bad);
	(void)*bad;
	panic("ktest_fault: the read did not fault");
}

struct ktest {
	const char *name;
	void (*run)(void);
};

static const struct ktest tests[] = {
	{ "fault", ktest_fault },
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
