/*
 * I/O-port permission of spaces (<fluke/abi/io.h>; handouts/api.md, "I/O ports").
 * Invariants: the TSS's bitmap allows exactly the ports of io_cached (none if
 * NULL), a space that still exists; it is enabled exactly while the running
 * thread's space holds some port, and that space is then io_cached.
 */
#ifndef KERN_VM_IOPORT_H
#define KERN_VM_IOPORT_H

#include <stdint.h>

struct space;

/* Load s's ports for user mode (NULL: none); called on every space switch. */
void ioport_activate(struct space *s);
/* s is being destroyed: its ports may no longer be cached. */
void ioport_forget(struct space *s);
/* Allow (allow != 0) or deny s the ports [first, first + count). Allowing needs
 * every one of them held by giver (NULL: the kernel, which holds all). Returns 0,
 * FLUKE_INVALID_ARGUMENT for an empty range or one past FLUKE_IO_PORTS, or
 * FLUKE_NOT_PERMITTED. */
int ioport_permit(const struct space *giver, struct space *s, uint32_t first, uint32_t count,
		  int allow);

#endif
