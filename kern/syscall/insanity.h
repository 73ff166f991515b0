/*
 * Insanity: a system call misused by its caller (no object at an address, wrong
 * type, ...) raises a synchronous exception in the calling thread, trap number
 * T_INSANITY with the FLUKE_INSANITY_* code as error code. The registers are left
 * as at the int $0x40, so the report names the offending call, and a handler or
 * keeper that fixes things restarts it by resuming the thread (thread/exception.c).
 */
#ifndef KERN_SYSCALL_INSANITY_H
#define KERN_SYSCALL_INSANITY_H

#include <stdint.h>

/* Raise insanity code in the current thread, which is in a system call. The
 * sys_ function returns the result at once (it keeps EAX as it was). */
int insanity(int code);
/* "NO_OBJECT" for FLUKE_INSANITY_NO_OBJECT, ... */
const char *insanity_name(uint32_t code);

#endif
