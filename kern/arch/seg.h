/* Segmentation: the GDT (flat kernel and user segments) and the one TSS. */
#ifndef KERN_ARCH_SEG_H
#define KERN_ARCH_SEG_H

#include <stdint.h>
#include <fluke/abi/io.h>

/* Bytes of the TSS's I/O permission bitmap: one bit per port below FLUKE_IO_PORTS. */
#define SEG_IO_BITMAP_BYTES	(FLUKE_IO_PORTS / 8)

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
};

/* The one TSS, and its I/O permission bitmap after it (iomap_base = sizeof(struct
 * tss), a multiple of 4); a set bit denies its port. Only this file's inline
 * functions and arch/seg.c touch it. */
struct seg_tss_io {
	struct tss tss;
	uint32_t iomap[SEG_IO_BITMAP_BYTES / 4];
	uint8_t iomap_end;		/* 0xff */
} __attribute__((packed));
extern struct seg_tss_io seg_tss_io;

void seg_init(void);
/* Make the bitmap allow exactly the ports whose bits are set in allow
 * (FLUKE_IO_PORTS bits, port p is bit p % 32 of word p / 32; NULL: none). */
void seg_load_io_bitmap(const uint32_t *allow);

/* The kernel stack the CPU switches to on a trap from user mode. Inline, as the
 * next one: every thread switch sets both. */
static inline void seg_set_kernel_stack(uint32_t esp0)
{
	seg_tss_io.tss.esp0 = esp0;
}

/* Let ring 3 use the ports the bitmap allows (on), or none. */
static inline void seg_io_enable(int on)
{
	seg_tss_io.tss.iomap_base = on ? sizeof(struct tss) : 0xffff;	/* 0xffff: past the limit */
}

#endif
