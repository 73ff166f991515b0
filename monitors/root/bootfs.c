/* The boot file system (handouts/boot.md, section 3), as the kernel mapped it at
 * FLUKE_BOOT_BOOTFS_VA, read-only; file handles are entry numbers. */
#include "root.h"
#include <fluke/abi/boot.h>
#include <fluke/abi/bootfs.h>
#include <fluke/abi/error.h>
#include <string.h>

static const struct fluke_bootfs_header *hdr(void)
{
	const struct fluke_bootfs_header *h = (const void *)FLUKE_BOOT_BOOTFS_VA;
	return h->magic == FLUKE_BOOTFS_MAGIC ? h : 0;
}

int bootfs_get(uint32_t i, const char **name, const void **data, uint32_t *size)
{
	const struct fluke_bootfs_header *h = hdr();
	if (!h || i >= h->nfiles)
		return FLUKE_NOT_FOUND;
	const struct fluke_bootfs_entry *e = (const struct fluke_bootfs_entry *)(h + 1) + i;
	*name = e->name;
	*data = (const char *)h + e->offset;
	*size = e->size;
	return FLUKE_SUCCESS;
}

int bootfs_find(const char *name, uint32_t *handle)
{
	const char *n;
	const void *data;
	uint32_t size;
	for (uint32_t i = 0; bootfs_get(i, &n, &data, &size) == FLUKE_SUCCESS; i++) {
		if (strncmp(n, name, sizeof(((struct fluke_bootfs_entry *)0)->name)) == 0) {
			*handle = i;
			return FLUKE_SUCCESS;
		}
	}
	return FLUKE_NOT_FOUND;
}

static int fs_open(void *ctx, const char *name, uint32_t *handle)
{
	(void)ctx;
	return bootfs_find(name, handle);
}

static int fs_read(void *ctx, uint32_t handle, uint32_t offset, char *buf, uint32_t max,
		   uint32_t *got)
{
	const char *name;
	const void *data;
	uint32_t size;
	(void)ctx;
	int rc = bootfs_get(handle, &name, &data, &size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	*got = offset < size ? (size - offset < max ? size - offset : max) : 0;
	memcpy(buf, (const char *)data + offset, *got);
	return FLUKE_SUCCESS;
}

static int fs_bulk(void *ctx, uint32_t handle, uint32_t offset, uint32_t max,
		   const void **data, uint32_t *got)
{
	const char *name;
	uint32_t size;
	(void)ctx;
	int rc = bootfs_get(handle, &name, data, &size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	if (offset > size)
		return FLUKE_INVALID_ARGUMENT;
	*data = (const char *)*data + offset;
	*got = size - offset < max ? size - offset : max;
	return FLUKE_SUCCESS;
}

static int fs_stat(void *ctx, uint32_t handle, uint32_t *size)
{
	const char *name;
	const void *data;
	(void)ctx;
	return bootfs_get(handle, &name, &data, size);
}

static int fs_list(void *ctx, uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size)
{
	const char *n;
	const void *data;
	(void)ctx;
	int rc = bootfs_get(index, &n, &data, size);
	if (rc == FLUKE_SUCCESS)
		strlcpy(name, n, FLUKE_FS_NAME_MAX);
	return rc;
}

const struct fluke_fs_server bootfs_server = {
	.open = fs_open, .read = fs_read, .stat = fs_stat, .list = fs_list, .bulk = fs_bulk,
};
