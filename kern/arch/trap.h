/* Traps, interrupts and system calls: the saved user or kernel register frame. */
#ifndef KERN_ARCH_TRAP_H
#define KERN_ARCH_TRAP_H

/* Vector numbers. */
#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BRKPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_ILLOP		6
#define T_DEVICE	7
#define T_DBLFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STACK		12
#define T_GPFLT		13
#define T_PGFLT		14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMDERR	19
#define T_IRQ0		32		/* hardware interrupts 32..47 */
#define T_SYSCALL	0x40		/* int $0x40 from user mode */
#define NUM_TRAPS	48
/* Pseudo-trap, beyond the IDT: a system call was misused; err holds the
 * FLUKE_INSANITY_* code (kern/syscall/insanity.c). */
#define T_INSANITY	256		/* = FLUKE_EXC_INSANITY */
/* Pseudo-trap: the current space's CPU budget is spent (vm/space.h). */
#define T_CPU		258		/* = FLUKE_EXC_CPU */

#define SYSCALL_INSN_LEN 2		/* bytes of int $0x40 (0xcd 0x40) */

#define IRQ_TIMER	0
#define IRQ_KBD		1
#define IRQ_COM2	3	/* the lendable devices' lines (dev/irqwait.c) */
#define IRQ_COM1	4
#define IRQ_SPURIOUS	7
#define IRQ_ATA0	14
#define IRQ_ATA1	15

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The frame trapentry.S builds on the kernel stack; the CPU pushed the last five words. */
struct trapframe {
	uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;	/* pushal */
	uint32_t gs, fs, es, ds;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;	/* only when the trap came from user mode */
};

static inline int trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

void trap_init(void);
const char *trap_name(uint32_t trapno);
void trap_print_frame(const struct trapframe *tf);
/* The checks of every way back to user mode, the last thing before the frame tf
 * of the current thread is popped (trap.c). */
void trap_exit(struct trapframe *tf);
#endif

#endif
