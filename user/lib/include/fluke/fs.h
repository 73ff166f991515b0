/*
 * The FileSystem protocol (read-only). A file is named by its handle, which
 * stays valid for the server's lifetime, so there is no close; handles of the
 * boot file system are its entry numbers, so LIST(i) also names handle i.
 * No op changes anything at the server (READ names its offset: there is no file
 * position), so a request sent again gets the same answer and needs no id.
 */
#ifndef FLUKE_FS_H
#define FLUKE_FS_H

#include <fluke/rpc.h>

#define FLUKE_FS_NAME_MAX	56	/* with its NUL */

enum {
	FLUKE_FS_OPEN = 1,	/* data the name -> arg0 handle; FLUKE_NOT_FOUND */
	FLUKE_FS_READ,		/* arg0 handle, arg1 offset, arg2 max -> data (empty at the end) */
	FLUKE_FS_STAT,		/* arg0 handle -> arg0 size */
	FLUKE_FS_LIST,		/* arg0 index -> arg0 size, data the name; FLUKE_NOT_FOUND past the end */
};

int fluke_fs_open(const char *name, uint32_t *handle);
int fluke_fs_read(uint32_t handle, uint32_t offset, void *buf, uint32_t max, uint32_t *got);
int fluke_fs_stat(uint32_t handle, uint32_t *size);
int fluke_fs_list(uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size);
/* The whole file name, read into the heap: *image (free it) and *size. FLUKE_SUCCESS,
 * the file system's error, FLUKE_NO_MEMORY, or FLUKE_INVALID_ARGUMENT if it
 * ends before its size (a monitor loading its child's program). */
int fluke_fs_load(const char *name, const void **image, uint32_t *size);

/* The whole file name, read into a malloc'd buffer (free it): FLUKE_SUCCESS,
 * FLUKE_NOT_FOUND, FLUKE_NO_MEMORY, or FLUKE_INVALID_ARGUMENT if it shrank. */
int fluke_fs_load(const char *name, const void **data, uint32_t *size);

struct fluke_fs_server {
	int (*open)(void *ctx, const char *name, uint32_t *handle);
	int (*read)(void *ctx, uint32_t handle, uint32_t offset, char *buf, uint32_t max,
		    uint32_t *got);
	int (*stat)(void *ctx, uint32_t handle, uint32_t *size);
	int (*list)(void *ctx, uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size);
};
void fluke_fs_dispatch(const struct fluke_fs_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
