/*
 * The panic report: a PANIC record for the grader, then on the console the message,
 * the trap and registers if there was one, and a backtrace with function names.
 * Then the machine stops (debug/record.c). Frame pointers are kept in every kernel
 * function (-fno-omit-frame-pointer), so each frame is [saved ebp][return address].
 */
#include "debug/panic.h"
#include "debug/ksyms.h"
#include "debug/record.h"
#include "arch/trap.h"
#include "arch/mmu.h"
#include "arch/x86.h"
#include "lib/printf.h"

#define MAX_FRAMES 32

static int panicking;

static void print_frame(int n, uint32_t eip)
{
	uint32_t off;
	const char *name = ksym_lookup(eip, &off);
	if (name)
		kprintf("  #%d 0x%08x in %s+0x%x\n", n, eip, name, off);
	else
		kprintf("  #%d 0x%08x\n", n, eip);
}

void backtrace_print(uint32_t eip, uint32_t ebp)
{
	kprintf("backtrace:\n");
	print_frame(0, eip);
	for (int n = 1; n < MAX_FRAMES && ebp >= KERNBASE && ebp % 4 == 0; n++) {
		const uint32_t *frame = (const uint32_t *)ebp;
		/* A return address points past a call: look up the call itself. */
		print_frame(n, frame[1] - 1);
		ebp = frame[0];
	}
}

static void begin(void)
{
	cli();
	if (panicking++)	/* a panic inside the report: stop quietly */
		record_end(END_PANIC);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	begin();
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	record_emit("PANIC", "%s at %s:%d", msg, file, line);
	kprintf("\nkernel panic at %s:%d: %s\n", file, line, msg);
	backtrace_print((uint32_t)__builtin_return_address(0) - 1,
			*(uint32_t *)__builtin_frame_address(0));
	record_end(END_PANIC);
}

void panic_trap(const struct trapframe *tf)
{
	begin();
	uint32_t off;
	const char *fn = ksym_lookup(tf->eip, &off);
	record_emit("PANIC", "%s in kernel mode at 0x%08x (%s)", trap_name(tf->trapno), tf->eip,
		    fn ? fn : "?");
	kprintf("\nkernel panic: %s in kernel mode at 0x%08x (%s)\n", trap_name(tf->trapno),
		tf->eip, fn ? fn : "?");
	trap_print_frame(tf);
	backtrace_print(tf->eip, tf->ebp);
	record_end(END_PANIC);
}
