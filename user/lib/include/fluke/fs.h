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
/* arg0 handle, arg1 offset, arg2 max (1 to FLUKE_RPC_BULK_MAX) -> arg0 the bytes
 * read, min(max, size - offset), as the reply's bulk tail (<fluke/rpc.h>): a page
 * a request where READ moves 1 KB. FLUKE_NOT_FOUND for a bad handle,
 * FLUKE_INVALID_ARGUMENT for an offset past the end or a max out of range. */
#define FLUKE_FS_READ_BULK	(5u | FLUKE_RPC_BULK)

int fluke_fs_open(const char *name, uint32_t *handle);
int fluke_fs_read(uint32_t handle, uint32_t offset, void *buf, uint32_t max, uint32_t *got);
int fluke_fs_stat(uint32_t handle, uint32_t *size);
int fluke_fs_list(uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size);
/* READ_BULK into buf (max bytes of room, at most FLUKE_RPC_BULK_MAX): the bytes in *got. */
int fluke_fs_read_bulk(uint32_t handle, uint32_t offset, void *buf, uint32_t max,
		       uint32_t *got);
/* Exactly len bytes from offset into buf: in READ_BULK pages, or in READs from a
 * server that does not know READ_BULK. FLUKE_SUCCESS, the file system's error, or
 * FLUKE_INVALID_ARGUMENT if the file ends first. */
int fluke_fs_read_all(uint32_t handle, uint32_t offset, void *buf, uint32_t len);
/* The whole file name, read into the heap: *image (free it) and *size. FLUKE_SUCCESS,
 * the file system's error, FLUKE_NO_MEMORY, or FLUKE_INVALID_ARGUMENT if it
 * ends before its size. */
int fluke_fs_load(const char *name, const void **image, uint32_t *size);
/* A program to start (fluke_proc_start), read into the heap as fluke_fs_load
 * does, but of an ELF file only the bytes up to the end of its last loaded
 * segment (*size says how many): the symbols and debugging sections after them,
 * most of a program's file, are never read. A file that is no ELF program is
 * read whole. */
int fluke_fs_load_program(const char *name, const void **image, uint32_t *size);

struct fluke_fs_server {
	int (*open)(void *ctx, const char *name, uint32_t *handle);
	int (*read)(void *ctx, uint32_t handle, uint32_t offset, char *buf, uint32_t max,
		    uint32_t *got);
	int (*stat)(void *ctx, uint32_t handle, uint32_t *size);
	int (*list)(void *ctx, uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size);
	/* READ_BULK's bytes, in the server's own memory (sent from there): *data and
	 * *got, at most max (checked by the dispatch) from offset; FLUKE_NOT_FOUND
	 * or FLUKE_INVALID_ARGUMENT (offset past the end). NULL: READ_BULK is
	 * answered FLUKE_INVALID_ARGUMENT. */
	int (*bulk)(void *ctx, uint32_t handle, uint32_t offset, uint32_t max,
		    const void **data, uint32_t *got);
};
void fluke_fs_dispatch(const struct fluke_fs_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
