/*
 * System call entry. The dispatcher (generated from syscalls.tbl) only decodes
 * registers into arguments; each sys_<name> in this folder does the operation.
 */
#ifndef KERN_SYSCALL_SYSCALL_H
#define KERN_SYSCALL_SYSCALL_H

#include <stdint.h>

struct trapframe;

/* Run the call tf->eax asks for; the result goes back in EAX. */
uint32_t syscall_dispatch(struct trapframe *tf);

#endif
