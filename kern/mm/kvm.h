/* The kernel's address space: all physical memory mapped at KERNBASE. */
#ifndef KERN_MM_KVM_H
#define KERN_MM_KVM_H

#include "arch/mmu.h"

/* The kernel page directory; every space's directory shares its upper quarter. */
extern pde_t kern_pgdir[PT_ENTRIES];

/* Map physical [0, DIRECTMAP_MAX) at KERNBASE with 4 MiB pages and switch to it. */
void kvm_init(void);

#endif
