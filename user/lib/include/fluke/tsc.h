/* The time-stamp counter: under QEMU -icount shift=0 one count per guest
 * instruction (or nanosecond idle), so costs read off it repeat exactly. */
#ifndef FLUKE_TSC_H
#define FLUKE_TSC_H

#include <stdint.h>

static inline uint64_t fluke_rdtsc(void)
{
	uint64_t v;
	__asm__ volatile("rdtsc" : "=A"(v));
	return v;
}

#endif
