/* Segmentation: the GDT (flat kernel and user segments) and the one TSS. */
#ifndef KERN_ARCH_SEG_H
#define KERN_ARCH_SEG_H

#include <stdint.h>
#include <fluke/abi/io.h>

/* Bytes of the TSS's I/O permission bitmap: one bit per port below FLUKE_IO_PORTS. */
#define SEG_IO_BITMAP_BYTES	(FLUKE_IO_PORTS / 8)

void seg_init(void);
/* The kernel stack the CPU switches to on a trap from user mode. */
void seg_set_kernel_stack(uint32_t esp0);
/* Make the bitmap allow exactly the ports whose bits are set in allow
 * (FLUKE_IO_PORTS bits, port p is bit p % 32 of word p / 32; NULL: none). */
void seg_load_io_bitmap(const uint32_t *allow);
/* Let ring 3 use the ports the bitmap allows (on), or none. */
void seg_io_enable(int on);

#endif
