/* The kernel's own symbol table, for symbolized backtraces (tools/mkksyms.py). */
#ifndef KERN_DEBUG_KSYMS_H
#define KERN_DEBUG_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr, and addr's offset in it; NULL if unknown. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

#endif
