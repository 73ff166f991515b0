/*
 * The Block protocol: a disk as numbered sectors of FLUKE_BLOCK_SECTOR bytes.
 * The root serves the second disk the emulator attaches (the swap disk, made by
 * make); a monitor that keeps part of its parent's disk for itself (a pager's
 * swap area) serves its child the rest, renumbered from 0, so every level sees
 * a disk of its own that starts at sector 0 and no client can reach sectors
 * outside what it was given.
 *
 * READ and WRITE name their sectors, so a request sent again (its client
 * stopped and resumed) does the same thing again and needs no id. A server
 * with no disk answers every op FLUKE_NOT_FOUND; sectors past the end, or more
 * than FLUKE_BLOCK_MAX at once, FLUKE_INVALID_ARGUMENT.
 */
#ifndef FLUKE_BLOCK_H
#define FLUKE_BLOCK_H

#include <fluke/rpc.h>

#define FLUKE_BLOCK_SECTOR	512
#define FLUKE_BLOCK_MAX		(FLUKE_RPC_DATA / FLUKE_BLOCK_SECTOR)	/* sectors a request moves */

enum {
	FLUKE_BLOCK_SIZE = 1,	/* -> arg0 sectors on the disk */
	FLUKE_BLOCK_READ,	/* arg0 first sector, arg1 count -> data count sectors */
	FLUKE_BLOCK_WRITE,	/* arg0 first sector, arg1 count, data count sectors -> nothing */
};

/* Client stubs, through the program's Block port (<fluke/parent.h>). Read and
 * write move any count of sectors, FLUKE_BLOCK_MAX per request. */
int fluke_block_size(uint32_t *sectors);
int fluke_block_read(uint32_t sector, uint32_t count, void *buf);
int fluke_block_write(uint32_t sector, uint32_t count, const void *buf);
/* The same through port (NULL: FLUKE_NOT_FOUND) on an exchange of the caller's
 * own (a thread that must not share the program's client exchange). */
int fluke_block_read_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			uint32_t count, void *buf);
int fluke_block_write_on(const fluke_ref_t *port, struct fluke_rpc *rpc, uint32_t sector,
			 uint32_t count, const void *buf);

struct fluke_block_server {
	int (*size)(void *ctx, uint32_t alias, uint32_t *sectors);
	/* count is 1..FLUKE_BLOCK_MAX; the range is checked against size first. */
	int (*read)(void *ctx, uint32_t alias, uint32_t sector, uint32_t count, char *buf);
	int (*write)(void *ctx, uint32_t alias, uint32_t sector, uint32_t count, const char *buf);
};
/* Decode rpc->in (checking count and the range against s->size), call the
 * handler, encode its answer in rpc->out. */
void fluke_block_dispatch(const struct fluke_block_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
