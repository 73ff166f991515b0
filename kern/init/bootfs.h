/* The boot file system archive (format: handouts/boot.md section 3). */
#ifndef KERN_INIT_BOOTFS_H
#define KERN_INIT_BOOTFS_H

#include <stdint.h>
#include "arch/mmu.h"

struct bootfs_file {
	const char *name;
	const uint8_t *data;	/* kernel virtual address (direct map) */
	uint32_t size;
};

/* Check the archive at physical [start, end); 0 on success, -1 if it is malformed. */
int bootfs_init(paddr_t start, paddr_t end);
/* Look a file up by name; 0 on success. */
int bootfs_find(const char *name, struct bootfs_file *f);
/* The i-th file, for listing; 0 while i is in range. */
int bootfs_get(uint32_t i, struct bootfs_file *f);
/* Where the archive lies in physical memory. */
paddr_t bootfs_start(void);
paddr_t bootfs_end(void);

#endif
