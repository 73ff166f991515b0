/*
 * I/O-port permission of spaces (<fluke/abi/io.h>; handouts/api.md, "I/O ports").
 * Invariants: the TSS's bitmap allows exactly the ports of ioport_cached (none if
 * NULL), a space that still exists; it is enabled exactly while the running
 * thread's space holds some port, and that space is then ioport_cached.
 */
#ifndef KERN_VM_IOPORT_H
#define KERN_VM_IOPORT_H

#include "arch/seg.h"
#include "vm/space.h"
#include <stdint.h>

/* The space whose ports the TSS's bitmap holds (see the invariants above). */
extern struct space *ioport_cached;

/* Load s's ports for user mode (NULL: none); inline: every thread switch to
 * another space does. */
static inline void ioport_activate(struct space *s)
{
	if (!s || !s->io_any) {
		seg_io_enable(0);
		return;
	}
	if (s != ioport_cached) {
		seg_load_io_bitmap(s->io_allow);
		ioport_cached = s;
	}
	seg_io_enable(1);
}
/* s is being destroyed: its ports may no longer be cached. */
void ioport_forget(struct space *s);
/* Whether s holds port. */
int ioport_held(const struct space *s, uint32_t port);
/* Allow (allow != 0) or deny s the ports [first, first + count). Allowing needs
 * every one of them held by giver (NULL: the kernel, which holds all). Returns 0,
 * FLUKE_INVALID_ARGUMENT for an empty range or one past FLUKE_IO_PORTS, or
 * FLUKE_NOT_PERMITTED. */
int ioport_permit(const struct space *giver, struct space *s, uint32_t first, uint32_t count,
		  int allow);

#endif
