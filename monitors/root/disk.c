/*
 * The root's Block: the swap disk. No driver yet: there is no disk, and every
 * request is answered FLUKE_NOT_FOUND (<fluke/block.h>).
 */
#include "root.h"
#include <fluke/abi/error.h>

static int disk_size(void *ctx, uint32_t alias, uint32_t *sectors)
{
	(void)ctx, (void)alias;
	*sectors = 0;
	return FLUKE_NOT_FOUND;
}

static int disk_read(void *ctx, uint32_t alias, uint32_t sector, uint32_t count, char *buf)
{
	(void)ctx, (void)alias, (void)sector, (void)count, (void)buf;
	return FLUKE_NOT_FOUND;
}

static int disk_write(void *ctx, uint32_t alias, uint32_t sector, uint32_t count,
		      const char *buf)
{
	(void)ctx, (void)alias, (void)sector, (void)count, (void)buf;
	return FLUKE_NOT_FOUND;
}

const struct fluke_block_server disk_server = {
	.size = disk_size, .read = disk_read, .write = disk_write,
};
