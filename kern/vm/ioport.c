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

static struct space *io_cached;

void ioport_activate(struct space *s)
{
	if (!s || !s->io_any) {
		seg_io_enable(0);
		return;
	}
	if (s != io_cached) {
		seg_load_io_bitmap(s->io_allow);
		io_cached = s;
	}
	seg_io_enable(1);
}

void ioport_forget(struct space *s)
{
	if (io_cached == s)
		io_cached = NULL;
}

static int held(const struct space *s, uint32_t port)
{
	return !s || (s->io_allow[port / 32] >> (port % 32) & 1);
}

int ioport_permit(const struct space *giver, struct space *s, uint32_t first, uint32_t count,
		  int allow)
{
	if (count == 0 || first >= FLUKE_IO_PORTS || count > FLUKE_IO_PORTS - first)
		return FLUKE_INVALID_ARGUMENT;
	for (uint32_t p = first; allow && p < first + count; p++)
		if (!held(giver, p))
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
