/*
 * Which I/O ports each space's threads may use from user mode: a bitmap in the
 * space (struct space.io_allow, bit set: allowed), copied into the TSS's when
 * that space starts running (arch/seg.c). The copy stays there while spaces
 * holding no port run (the bitmap is merely switched off), so switching
 * between the root and its clients costs one store, and a copy is made only
 * when another space holding ports runs. A grant is delegation: only a space
 * holding ports can give them, so every port a space holds came from the
 * kernel's boot grant to the first task, by a chain of gifts.
 */
#include "vm/ioport.h"
#include "vm/space.h"
#include "arch/seg.h"
#include "thread/thread.h"
#include <fluke/abi/error.h>

struct space *ioport_cached;

void ioport_forget(struct space *s)
{
	if (ioport_cached == s)
		ioport_cached = NULL;
}

int ioport_held(const struct space *s, uint32_t port)
{
	if (!s)
		return 1;	/* the kernel holds every port */
	return port < FLUKE_IO_PORTS && (s->io_allow[port / 32] >> (port % 32) & 1);
}

int ioport_permit(const struct space *giver, struct space *s, uint32_t first, uint32_t count,
		  int allow)
{
	if (count == 0 || first >= FLUKE_IO_PORTS || count > FLUKE_IO_PORTS - first)
		return FLUKE_INVALID_ARGUMENT;
	for (uint32_t p = first; allow && p < first + count; p++)
		if (!ioport_held(giver, p))
			return FLUKE_NOT_PERMITTED;
	for (uint32_t p = first; p < first + count; p++) {
		if (allow)
			s->io_allow[p / 32] |= 1u << (p % 32);
		else
			s->io_allow[p / 32] &= ~(1u << (p % 32));
	}
	s->io_any = 0;
	for (uint32_t i = 0; i < FLUKE_IO_PORTS / 32; i++)
		s->io_any |= s->io_allow[i] != 0;
	/* The TSS's copy of s's ports is stale; the running space's may be s. */
	ioport_forget(s);
	ioport_activate(current ? current->space : NULL);
	return FLUKE_SUCCESS;
}
