/* The root monitor's parts (its MemPool is <fluke/grant.h>): the boot file
 * system, the console, the disk, the answers it keeps for resends, the boot configuration. */
#ifndef ROOT_H
#define ROOT_H

#include <fluke/fs.h>
#include <fluke/grant.h>
#include <fluke/console.h>
#include <fluke/bootconf.h>
#include <fluke/block.h>

/* File i of the boot file system; FLUKE_NOT_FOUND past the last. */
int bootfs_get(uint32_t i, const char **name, const void **data, uint32_t *size);
int bootfs_find(const char *name, uint32_t *handle);
extern const struct fluke_fs_server bootfs_server;


/* Console over the kernel console; console_init before serving. */
extern const struct fluke_console_server console_server;
void console_init(void);

/* The answers to requests with ids (answer.c), under the monitor's lock:
 * answer_init before serving; the one kept for this port's request, or NULL; if
 * rpc's request has one, put it in rpc->out and return 1; keep rpc->out as the
 * answer to rpc's request; forget every answer kept for client's ports. */
void answer_init(void);
const struct fluke_rpc_msg *answer_find(uint32_t alias, uint32_t op, uint32_t request);
int answer_again(struct fluke_rpc *rpc);
void answer_keep(const struct fluke_rpc *rpc);
void answer_forget(uint32_t client);

/* Block over the swap disk (disk.c). */
extern const struct fluke_block_server disk_server;

/* Check every name c uses; print what is wrong and what exists, and return -1. */
int conf_check(const struct fluke_conf *c);

#endif
