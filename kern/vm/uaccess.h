/*
 * Access to user memory from the kernel. Every pointer a user program passes is
 * translated here, page by page, by the same resolver as page faults
 * (vm/translate.c), so a bad pointer yields an error, never a kernel fault.
 */
#ifndef KERN_VM_UACCESS_H
#define KERN_VM_UACCESS_H

#include <stddef.h>
#include <stdint.h>

struct space;

/* 0 on success, -1 if any byte is not accessible to user mode (with write access). */
int copy_from_user(struct space *s, void *dst, uint32_t src, size_t len);
int copy_to_user(struct space *s, uint32_t dst, const void *src, size_t len);

#endif
