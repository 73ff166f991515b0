/* The root monitor's parts: the boot file system, the memory pool, the console,
 * the boot configuration. */
#ifndef ROOT_H
#define ROOT_H

#include <fluke/fs.h>
#include <fluke/mempool.h>
#include <fluke/console.h>
#include <fluke/bootconf.h>

/* File i of the boot file system; FLUKE_NOT_FOUND past the last. */
int bootfs_get(uint32_t i, const char **name, const void **data, uint32_t *size);
int bootfs_find(const char *name, uint32_t *handle);
extern const struct fluke_fs_server bootfs_server;

/* MemPool over the root's free memory; a region belongs to the child slot that
 * got it (the alias's slot), and mempool_reclaim(slot) takes them all back. */
extern const struct fluke_mempool_server mempool_server;
void mempool_reclaim(uint32_t slot);

/* Console over the kernel console; console_init before serving. */
extern const struct fluke_console_server console_server;
void console_init(void);

/* Check every name c uses; print what is wrong and what exists, and return -1. */
int conf_check(const struct fluke_conf *c);

#endif
