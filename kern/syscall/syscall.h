/*
 * System call entry. The dispatcher (generated from syscalls.tbl) only decodes
 * registers into arguments; each sys_<name> in this folder does the operation.
 */
#ifndef KERN_SYSCALL_SYSCALL_H
#define KERN_SYSCALL_SYSCALL_H

#include "arch/trap.h"
#include <stdint.h>

/* Run the call tf->eax asks for and put its result in EAX, or make it run again
 * after a keeper has resolved a fault in the caller's memory, then return to user
 * mode's checks (syscall.c; the dispatcher it uses is generated, syscall_dispatch.h). */
void syscall(struct trapframe *tf);

/*
 * Make the thread run its system call again when it next returns to user mode:
 * back EIP up to the int $0x40. A sys_ function returns this value, the call
 * number, so that the dispatcher leaves EAX (and so every register) as it was.
 */
static inline uint32_t syscall_restart(struct trapframe *tf)
{
	tf->eip -= SYSCALL_INSN_LEN;
	return tf->eax;
}

#endif
