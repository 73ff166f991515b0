/*
 * Lookup in the table tools/mkksyms.py generates from the first link of the kernel.
 * Invariant: ksyms_addr is sorted ascending; ksyms_name[i] names the function that
 * starts at ksyms_addr[i]; the last entry is the end of .text.
 */
#include "debug/ksyms.h"

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addr[];
extern const uint32_t ksyms_name[];	/* offsets into ksyms_strings */
extern const char ksyms_strings[];

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	uint32_t lo = 0, hi = ksyms_count;	/* find the last entry <= addr */
	if (hi == 0 || addr < ksyms_addr[0] || addr >= ksyms_addr[hi - 1])
		return 0;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (ksyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addr[lo];
	return ksyms_strings + ksyms_name[lo];
}
