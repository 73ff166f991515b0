/*
 * The IDT and the C side of every trap. Interrupt gates clear IF, so the kernel
 * always runs with interrupts off: it is never preempted and needs no locks on a
 * uniprocessor. Interrupts are taken only in user mode and in the idle loop.
 * A fault in kernel mode is a kernel bug: it panics with a report, unless it is
 * a copy to or from user memory through the page tables (vm/uaccess.c). A user page
 * fault first goes to the memory graph (vm/translate.c), which may cache a
 * translation and resume the thread; any other fault in user mode belongs to the
 * running thread (thread_exception decides what happens). A system call does not
 * come here: its vector calls syscall() (kern/syscall/syscall.c).
 */
#include "arch/trap.h"
#include "arch/mmu.h"
#include "arch/x86.h"
#include "dev/pic.h"
#include "dev/irqwait.h"
#include "dev/timer.h"
#include "dev/console.h"
#include "debug/panic.h"
#include "lib/printf.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "thread/user_return.h"
#include "ipc/keeper.h"
#include "vm/space.h"
#include "vm/translate.h"
#include "vm/uaccess.h"

struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;	/* type: P, DPL, gate kind */
	uint16_t off_hi;
};

static struct gate idt[256];
extern const uint32_t trap_vectors[NUM_TRAPS];
extern const uint32_t trap_vector_syscall[1];	/* straight to syscall() */

static void set_gate(int n, uint32_t handler, int dpl)
{
	idt[n].off_lo = handler & 0xffff;
	idt[n].sel = SEG_KCODE;
	idt[n].zero = 0;
	idt[n].type = 0x8e | (dpl << 5);	/* present, 32-bit interrupt gate */
	idt[n].off_hi = handler >> 16;
}

void trap_init(void)
{
	for (int i = 0; i < NUM_TRAPS; i++)
		set_gate(i, trap_vectors[i], 0);
	/* User mode may execute int3 and into itself; they arrive as exceptions. */
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], 3);
	set_gate(T_OFLOW, trap_vectors[T_OFLOW], 3);
	set_gate(T_SYSCALL, trap_vector_syscall[0], 3);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) desc = {
		sizeof(idt) - 1, (uint32_t)idt
	};
	__asm__ volatile("lidt %0" : : "m"(desc));
}

static const char *const names[] = {
	[T_DIVIDE] = "Divide Error", [T_DEBUG] = "Debug", [T_NMI] = "Non-Maskable Interrupt",
	[T_BRKPT] = "Breakpoint", [T_OFLOW] = "Overflow", [T_BOUND] = "BOUND Range Exceeded",
	[T_ILLOP] = "Invalid Opcode", [T_DEVICE] = "Device Not Available",
	[T_DBLFLT] = "Double Fault", [9] = "Coprocessor Segment Overrun",
	[T_TSS] = "Invalid TSS", [T_SEGNP] = "Segment Not Present",
	[T_STACK] = "Stack Fault", [T_GPFLT] = "General Protection",
	[T_PGFLT] = "Page Fault", [T_FPERR] = "x87 Floating-Point Error",
	[T_ALIGN] = "Alignment Check", [T_MCHK] = "Machine Check",
	[T_SIMDERR] = "SIMD Floating-Point Error",
};

const char *trap_name(uint32_t trapno)
{
	if (trapno < sizeof(names) / sizeof(names[0]) && names[trapno])
		return names[trapno];
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + 16)
		return "Hardware Interrupt";
	if (trapno == T_SYSCALL)
		return "System Call";
	if (trapno == T_INSANITY)
		return "Insanity";
	return "Reserved";
}

void trap_print_frame(const struct trapframe *tf)
{
	kprintf("  trap %u (%s), error code 0x%x", tf->trapno, trap_name(tf->trapno), tf->err);
	if (tf->trapno == T_PGFLT)
		kprintf(", cr2 0x%08x (%s %s, %s mode)", rcr2(),
			tf->err & 1 ? "protection violation on" : "not-present",
			tf->err & 2 ? "write" : "read", tf->err & 4 ? "user" : "kernel");
	kprintf("\n  eax 0x%08x  ebx 0x%08x  ecx 0x%08x  edx 0x%08x\n",
		tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("  esi 0x%08x  edi 0x%08x  ebp 0x%08x  esp 0x%08x\n", tf->esi, tf->edi, tf->ebp,
		trap_from_user(tf) ? tf->esp : (uint32_t)&tf->esp);
	kprintf("  eip 0x%08x  cs 0x%04x  eflags 0x%08x  ds 0x%04x  ss 0x%04x\n", tf->eip,
		tf->cs, tf->eflags, tf->ds, trap_from_user(tf) ? tf->ss : SEG_KDATA);
}

static void interrupt(struct trapframe *tf)
{
	int irq = tf->trapno - T_IRQ0;
	if (irq == IRQ_SPURIOUS && !pic_in_service(irq))
		return;
	pic_eoi(irq);
	switch (irq) {
	case IRQ_TIMER:
		timer_intr();
		sched_charge_current();	/* the budget is checked on the way out */
		if (trap_from_user(tf))
			sched_preempt();
		break;
	case IRQ_KBD:
	case IRQ_COM1:
		console_intr();
		break;
	case IRQ_COM2:
	case IRQ_ATA0:
	case IRQ_ATA1:
		irqwait_intr(irq);
		break;
	default:
		break;
	}
}

void trap(struct trapframe *tf)
{
	if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16)
		interrupt(tf);
	else if (!trap_from_user(tf)) {
		if (!uaccess_fixup(tf))	/* a copy to or from user memory faulted: no bug */
			panic_trap(tf);
		return;
	} else if (tf->trapno != T_PGFLT)
		thread_exception(tf);
	else if (vm_page_fault(rcr2(), tf->err) < 0)
		keeper_page_fault(tf);	/* the memory graph cannot resolve it */
	if (trap_from_user(tf))
		user_return(tf);
}

void trap_exit(struct trapframe *tf)
{
	user_return(tf);
}
