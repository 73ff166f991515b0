/* Segmentation: the GDT (flat kernel and user segments) and the one TSS. */
#ifndef KERN_ARCH_SEG_H
#define KERN_ARCH_SEG_H

#include <stdint.h>

void seg_init(void);
/* The kernel stack the CPU switches to on a trap from user mode. */
void seg_set_kernel_stack(uint32_t esp0);

#endif
