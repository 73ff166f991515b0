/*
 * The boot file system archive (handouts/boot.md, section 3), read by the kernel
 * (to start the first task) and by the root monitor (to serve FileSystem).
 * Integers are little-endian; every file's data starts on a 4096-byte boundary.
 */
#ifndef FLUKE_BOOTFS_H
#define FLUKE_BOOTFS_H

#include <stdint.h>

#define FLUKE_BOOTFS_MAGIC	0x53464246u	/* "FBFS" */
#define FLUKE_BOOTFS_VERSION	1

struct fluke_bootfs_header {
	uint32_t magic, version, nfiles, size;	/* size: of the whole archive, bytes */
};

/* nfiles of these follow the header, sorted by name. */
struct fluke_bootfs_entry {
	char name[56];			/* NUL-terminated */
	uint32_t offset, size;		/* from the start of the archive */
};

#endif
