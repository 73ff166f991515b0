/*
 * The image on the checkpoint disk: the Block disk this monitor's parent serves
 * it (<fluke/block.h>), all of it. Sectors 0 and 1 hold a header each; the rest
 * is two data slots, one for each header. A checkpoint goes into the slot the
 * latest one is not in: its data first, then its header, one sector written
 * last. So a machine that stops while a checkpoint is being written leaves the
 * previous checkpoint whole (its header and data untouched), and the new one
 * exists only once its header does. Restore takes the header with the highest
 * sequence number whose magic and own checksum hold, then checks the format
 * version, the build (a hash of the program and of this format), that the data
 * lies on the disk, and the data's checksum, before it believes a word of it.
 * Invariant: no sector outside [0, disk_sectors) is written, and a data slot
 * never overlaps the other or the headers.
 */
#include "ckpt.h"
#include <fluke/block.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR		FLUKE_BLOCK_SECTOR
#define HEADERS		2
static const char magic[8] = "FLUKCKPT";

struct header {
	char magic[8];
	uint32_t version, build, seq;
	uint32_t start;		/* first sector of the data */
	uint32_t length;	/* bytes of data */
	uint32_t sum;		/* fnv of the data */
	uint32_t check;		/* fnv of the header before this word */
};

static uint32_t disk_sectors;
static uint32_t last_slot = 1;	/* the slot of the latest checkpoint */
static struct fluke_rpc io;	/* the disk's exchange, ours alone */
static char why[160];

uint32_t fnv(uint32_t h, const void *p, uint32_t n)
{
	const uint8_t *b = p;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

int disk_init(void)
{
	fluke_rpc_init(&io);
	if (fluke_block_size(&disk_sectors) != FLUKE_SUCCESS)
		disk_sectors = 0;
	return disk_sectors > HEADERS + 2;
}

static uint32_t slot_sectors(void)
{
	return (disk_sectors - HEADERS) / 2;
}

static const fluke_ref_t *disk(void)
{
	return fluke_service(FLUKE_SVC_BLOCK);
}

const char *disk_write(struct image *im, uint32_t seq, uint32_t build)
{
	uint32_t length = image_bytes(im), sectors = (length + SECTOR - 1) / SECTOR;
	uint32_t slot = 1 - last_slot;
	if (disk_sectors <= HEADERS + 2)
		return "there is no checkpoint disk";
	if (sectors > slot_sectors()) {
		snprintf(why, sizeof(why), "the image (%u sectors) is larger than half the disk "
			 "(%u sectors)", sectors, slot_sectors());
		return why;
	}
	static char sector[SECTOR];
	struct header *h = (struct header *)sector;
	memset(sector, 0, sizeof(sector));
	memcpy(h->magic, magic, sizeof(magic));
	h->version = CKPT_VERSION;
	h->build = build;
	h->seq = seq;
	h->start = HEADERS + slot * slot_sectors();
	h->length = length;
	h->sum = fnv(FNV_START, im, length);
	h->check = fnv(FNV_START, h, offsetof(struct header, check));
	/* The data (the buffer has room to the end of its last sector), then the
	 * header that makes it the latest. */
	if (fluke_block_write_on(disk(), &io, h->start, sectors, im) != FLUKE_SUCCESS ||
	    fluke_block_write_on(disk(), &io, slot, 1, sector) != FLUKE_SUCCESS)
		return "a disk write failed";
	last_slot = slot;
	return NULL;
}

const char *disk_read(uint32_t build, struct image **out, uint32_t *seq)
{
	static char sectors[HEADERS][SECTOR];
	struct header *best = 0;
	if (!disk_sectors)
		return "there is no checkpoint disk (my parent serves no Block disk)";
	if (disk_sectors <= HEADERS + 2 ||
	    fluke_block_read_on(disk(), &io, 0, HEADERS, sectors) != FLUKE_SUCCESS)
		return "the checkpoint disk cannot be read";
	for (uint32_t s = 0; s < HEADERS; s++) {
		struct header *h = (struct header *)sectors[s];
		if (memcmp(h->magic, magic, sizeof(magic)) == 0 &&
		    h->check == fnv(FNV_START, h, offsetof(struct header, check)) &&
		    (!best || h->seq > best->seq)) {
			best = h;
			last_slot = s;
		}
	}
	if (!best)
		return "there is no checkpoint on the disk (no header has the magic and its checksum)";
	if (best->version != CKPT_VERSION) {
		snprintf(why, sizeof(why), "checkpoint %u is of image format %u; this checkpointer "
			 "reads format %u", best->seq, best->version, CKPT_VERSION);
		return why;
	}
	if (best->build != build) {
		snprintf(why, sizeof(why), "checkpoint %u is of another build (build %08x; the "
			 "program here is build %08x)", best->seq, best->build, build);
		return why;
	}
	uint32_t n = (best->length + SECTOR - 1) / SECTOR;
	if (best->start < HEADERS || best->start >= disk_sectors || n > disk_sectors - best->start) {
		snprintf(why, sizeof(why), "checkpoint %u is truncated: it needs sectors %u to %u "
			 "but the disk has %u", best->seq, best->start, best->start + n - 1,
			 disk_sectors);
		return why;
	}
	struct image *im = malloc(n * SECTOR);
	if (!im)
		return "no memory to read the checkpoint into";
	if (fluke_block_read_on(disk(), &io, best->start, n, im) != FLUKE_SUCCESS) {
		free(im);
		return "a disk read failed";
	}
	uint32_t sum = fnv(FNV_START, im, best->length);
	const char *bad = sum == best->sum ? image_check(im, best->length) : 0;
	if (sum != best->sum || bad) {
		if (bad)
			snprintf(why, sizeof(why), "checkpoint %u is malformed: %s", best->seq, bad);
		else
			snprintf(why, sizeof(why), "checkpoint %u is corrupt: its data sums to %08x, "
				 "its header says %08x", best->seq, sum, best->sum);
		free(im);
		return why;
	}
	*out = im;
	*seq = best->seq;
	return NULL;
}
