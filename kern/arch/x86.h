/* Inline wrappers for the x86 instructions the kernel needs. */
#ifndef KERN_ARCH_X86_H
#define KERN_ARCH_X86_H

#include <stdint.h>
#include <portio.h>	/* inb, outb, outw: shared with user-level drivers */

static inline void lcr3(uint32_t pa)
{
	__asm__ volatile("movl %0, %%cr3" : : "r"(pa) : "memory");
}

static inline uint32_t rcr2(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t rcr3(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr3, %0" : "=r"(v));
	return v;
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint64_t v;
	__asm__ volatile("rdtsc" : "=A"(v));
	return v;
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

#endif
