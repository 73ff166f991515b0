/* x86 paging and segmentation constants and the kernel's virtual memory layout. */
#ifndef KERN_ARCH_MMU_H
#define KERN_ARCH_MMU_H

#define PAGE_SIZE	4096u
#define PAGE_SHIFT	12
#define PT_ENTRIES	1024u
#define PD_SHIFT	22		/* bits of a virtual address below the directory index */

/* Physical memory is mapped at KERNBASE; user space is everything below it. */
#define KERNBASE	0xC0000000u
#define USER_TOP	KERNBASE
#define DIRECTMAP_MAX	0x38000000u	/* physical memory the kernel can reach: 896 MiB */
#define KSTACK_SIZE	PAGE_SIZE	/* one page per thread */

/* Page table entry bits. */
#define PTE_P		0x001u		/* present */
#define PTE_W		0x002u		/* writable */
#define PTE_U		0x004u		/* user accessible */
#define PTE_A		0x020u		/* accessed */
#define PTE_D		0x040u		/* dirty */
#define PTE_CREATE_OB	0x200u		/* available bit 9: caches FLUKE_PROT_CREATE_OB */
#define PTE_ADDR(e)	((e) & ~0xfffu)

/* CR0 and EFLAGS bits. */
#define CR0_PE		0x00000001u
#define CR0_WP		0x00010000u
#define CR0_PG		0x80000000u
#define FL_TF		0x00000100u
#define FL_IF		0x00000200u
#define FL_IOPL_MASK	0x00003000u

/* Segment selectors (kern/arch/seg.c builds the GDT in this order). */
#define SEG_KCODE	0x08
#define SEG_KDATA	0x10
#define SEG_UCODE	0x1b		/* 0x18 | RPL 3 */
#define SEG_UDATA	0x23		/* 0x20 | RPL 3 */
#define SEG_TSS		0x28

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t pte_t;
typedef uint32_t pde_t;
typedef uint32_t paddr_t;

#define PD_INDEX(va)	(((uint32_t)(va) >> PD_SHIFT) & 0x3ff)
#define PT_INDEX(va)	(((uint32_t)(va) >> PAGE_SHIFT) & 0x3ff)
#define PAGE_ROUND_DOWN(a) ((uint32_t)(a) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(a)   (((uint32_t)(a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* Kernel virtual <-> physical, for memory in the direct map. */
#define P2V(pa)		((void *)((paddr_t)(pa) + KERNBASE))
#define V2P(va)		((paddr_t)(va) - KERNBASE)
#endif

#endif
