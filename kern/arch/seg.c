/*
 * The GDT holds flat 4 GiB code and data segments for ring 0 and ring 3 and one
 * TSS. Fluke needs no per-thread segments: the TSS only tells the CPU which kernel
 * stack to use on a trap from ring 3, and seg_set_kernel_stack changes it on every
 * thread switch. The I/O bitmap is empty (its offset lies past the TSS limit), so
 * user code cannot touch I/O ports: only the kernel writes port 0xE9.
 */
#include "arch/seg.h"
#include "arch/mmu.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
};

static struct tss tss;
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
	tss.ss0 = SEG_KDATA;
	tss.iomap_base = sizeof(tss);
	gdt[SEG_TSS >> 3] = segment((uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x0);

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

void seg_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
