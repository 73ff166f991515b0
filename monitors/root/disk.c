/*
 * The root's Block (<fluke/block.h>): the swap disk, the second disk the
 * emulators attach (make's obj/swap.img; handouts/boot.md), driven by ata.c.
 * The drive is probed at the first request and the answer kept: with no disk
 * every request is answered FLUKE_NOT_FOUND, and the root says once on the
 * console why. Sector numbers are the disk's own: the root keeps none for
 * itself. Requests arrive under the monitor's lock, which serializes the drive.
 */
#include "root.h"
#include "ata.h"
#include <fluke/abi/error.h>
#include <stdio.h>

static enum { UNPROBED, ABSENT, PRESENT } state;
static uint32_t disk_sectors;

static int disk_size(void *ctx, uint32_t alias, uint32_t *sectors)
{
	(void)ctx, (void)alias;
	if (state == UNPROBED) {
		const char *why;
		state = ata_probe(&disk_sectors, &why) == FLUKE_SUCCESS ? PRESENT : ABSENT;
		if (state == ABSENT)
			printf("root: no swap disk: %s (the emulator attaches obj/swap.img there); "
			       "every Block request gets FLUKE_NOT_FOUND\n", why);
	}
	*sectors = disk_sectors;
	return state == PRESENT ? FLUKE_SUCCESS : FLUKE_NOT_FOUND;
}

static int disk_read(void *ctx, uint32_t alias, uint32_t sector, uint32_t count, char *buf)
{
	(void)ctx, (void)alias;
	return ata_read(sector, count, buf);
}

static int disk_write(void *ctx, uint32_t alias, uint32_t sector, uint32_t count,
		      const char *buf)
{
	(void)ctx, (void)alias;
	return ata_write(sector, count, buf);
}

const struct fluke_block_server disk_server = {
	.size = disk_size, .read = disk_read, .write = disk_write,
};
