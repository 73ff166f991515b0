/*
 * The direct map uses 4 MiB pages (CR4.PSE), so it needs no page tables and can be
 * built before the page allocator exists. It covers DIRECTMAP_MAX whatever the RAM
 * size (touching absent memory is the caller's bug), so it can be built before the
 * Multiboot information, which may lie anywhere, is read. Its entries never change after boot,
 * which is why spaces may copy them once, when they are made.
 */
#include "mm/kvm.h"
#include "arch/x86.h"

#define PDE_PS	0x080u		/* 4 MiB page */
#define PDE_G	0x100u		/* global: survives CR3 reloads */
#define CR4_PSE	0x010u
#define CR4_PGE	0x080u

pde_t kern_pgdir[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

void kvm_init(void)
{
	uint32_t cr4;
	__asm__ volatile("movl %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_PSE | CR4_PGE;
	__asm__ volatile("movl %0, %%cr4" : : "r"(cr4));

	for (paddr_t pa = 0; pa < DIRECTMAP_MAX; pa += 1u << PD_SHIFT)
		kern_pgdir[PD_INDEX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PDE_PS | PDE_G;
	lcr3(V2P(kern_pgdir));
}
