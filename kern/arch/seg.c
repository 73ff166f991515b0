/*
 * The GDT holds flat 4 GiB code and data segments for ring 0 and ring 3 and one
 * TSS. Fluke needs no per-thread segments: the TSS only tells the CPU which kernel
 * stack to use on a trap from ring 3, and seg_set_kernel_stack changes it on every
 * thread switch. User mode runs with IOPL 0, so the TSS's I/O permission bitmap
 * decides each in/out from ring 3: it covers ports 0 .. FLUKE_IO_PORTS - 1 and
 * ends with the 0xff byte the CPU may read past the last port's bit; ports past
 * it lie beyond the TSS limit, so they always fault. The CPU reads iomap_base
 * from the TSS at every check, so pointing it past the limit (seg_io_enable(0))
 * denies every port at the cost of one store, and the bitmap need be rewritten
 * (seg_load_io_bitmap) only when another space's ports are to be used
 * (kern/vm/ioport.c). At boot the bitmap denies all and is off.
 */
#include "arch/seg.h"
#include "arch/mmu.h"
#include <stddef.h>

struct seg_tss_io seg_tss_io;
static uint64_t gdt[6];

static uint64_t segment(uint32_t base, uint32_t limit, uint32_t type, uint32_t flags)
{
	uint64_t d = (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16);
	d |= (uint64_t)type << 40;			/* type, S, DPL, P */
	d |= (uint64_t)((limit >> 16) & 0xf) << 48;
	d |= (uint64_t)flags << 52;			/* AVL, L, D/B, G */
	d |= (uint64_t)(base >> 24) << 56;
	return d;
}

void seg_init(void)
{
	gdt[SEG_KCODE >> 3] = segment(0, 0xfffff, 0x9a, 0xc);	/* present, ring 0, code r/x */
	gdt[SEG_KDATA >> 3] = segment(0, 0xfffff, 0x92, 0xc);	/* present, ring 0, data r/w */
	gdt[SEG_UCODE >> 3] = segment(0, 0xfffff, 0xfa, 0xc);	/* present, ring 3, code r/x */
	gdt[SEG_UDATA >> 3] = segment(0, 0xfffff, 0xf2, 0xc);	/* present, ring 3, data r/w */
	seg_tss_io.tss.ss0 = SEG_KDATA;
	seg_io_enable(0);
	seg_load_io_bitmap(NULL);
	seg_tss_io.iomap_end = 0xff;
	gdt[SEG_TSS >> 3] = segment((uint32_t)&seg_tss_io, sizeof(seg_tss_io) - 1, 0x89, 0x0);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) desc = {
		sizeof(gdt) - 1, (uint32_t)gdt
	};
	__asm__ volatile("lgdt %0\n\t"
			 "movw %w1, %%ds\n\tmovw %w1, %%es\n\tmovw %w1, %%ss\n\t"
			 "movw %w2, %%fs\n\tmovw %w2, %%gs\n\t"
			 "ljmp %3, $1f\n1:\n\t"
			 "ltr %w4"
			 : : "m"(desc), "r"(SEG_KDATA), "r"(0), "i"(SEG_KCODE), "r"(SEG_TSS)
			 : "memory");
}

void seg_load_io_bitmap(const uint32_t *allow)
{
	for (uint32_t i = 0; i < SEG_IO_BITMAP_BYTES / 4; i++)
		seg_tss_io.iomap[i] = allow ? ~allow[i] : ~0u;
}
