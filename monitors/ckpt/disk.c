/*
 * The image on the checkpoint disk: the Block disk this monitor's parent serves
 * it (<fluke/block.h>), all of it. Sectors 0 and 1 hold a header each; the rest
 * is two data slots, one for each header. A slot holds a chain: a full image,
 * then the deltas of the incremental checkpoints after it (ckpt.h), each from
 * the sector after the one before. A header names its chain (where it starts,
 * each record's length and checksum) and the number of its last checkpoint.
 *
 * The commit rule: data first, then the header, one sector written last. A
 * full checkpoint goes into the slot the latest one is not in; a delta is
 * appended past the end of the latest chain, whose header is then rewritten to
 * name one more record. So a machine that stops while a checkpoint is being
 * written leaves the previous checkpoint whole (its header and every record it
 * names untouched), and the new one exists only once its header does. Restore
 * takes the header with the highest sequence number whose magic and own
 * checksum hold, then checks the format version, the build (a hash of the
 * program and of this format), that every record lies on the disk, and every
 * record's checksum, before it believes a word of them.
 * Invariant: no sector outside [0, disk_sectors) is written, and a chain never
 * leaves its slot.
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
	uint32_t start;		/* first sector of the chain */
	uint32_t nrecords;	/* 1 (the full image) to MAX_CHAIN */
	struct {
		uint32_t length;	/* bytes */
		uint32_t sum;		/* fnv of them */
	} record[MAX_CHAIN];
	uint32_t check;		/* fnv of the header before this word */
};
_Static_assert(sizeof(struct header) <= FLUKE_BLOCK_SECTOR, "a header is one sector");

static uint32_t disk_sectors;
static uint32_t last_slot = 1;	/* the slot of the latest checkpoint */
static struct header latest;	/* its header (nrecords 0: none yet) */
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

/* Sectors of n bytes. */
static uint32_t sectors_of(uint32_t n)
{
	return (n + SECTOR - 1) / SECTOR;
}

/* The first sector past h's chain. */
static uint32_t chain_end(const struct header *h)
{
	uint32_t end = h->start;
	for (uint32_t i = 0; i < h->nrecords; i++)
		end += sectors_of(h->record[i].length);
	return end;
}

/* Write length bytes of data at sector (the buffer has room to the end of its
 * last sector), then h, sealed, into header sector slot. */
static const char *commit(struct header *h, uint32_t slot, uint32_t sector, const void *data,
			  uint32_t length)
{
	static char block[SECTOR];
	h->check = fnv(FNV_START, h, offsetof(struct header, check));
	memset(block, 0, sizeof(block));
	memcpy(block, h, sizeof(*h));
	if (fluke_block_write_on(disk(), &io, sector, sectors_of(length), data) != FLUKE_SUCCESS ||
	    fluke_block_write_on(disk(), &io, slot, 1, block) != FLUKE_SUCCESS)
		return "a disk write failed";
	last_slot = slot;
	latest = *h;
	return NULL;
}

const char *disk_write(struct image *im, uint32_t seq, uint32_t build)
{
	uint32_t length = image_bytes(im);
	uint32_t slot = 1 - last_slot;
	if (disk_sectors <= HEADERS + 2)
		return "there is no checkpoint disk";
	if (sectors_of(length) > slot_sectors()) {
		snprintf(why, sizeof(why), "the image (%u sectors) is larger than half the disk "
			 "(%u sectors)", sectors_of(length), slot_sectors());
		return why;
	}
	struct header h = { .version = CKPT_VERSION, .build = build, .seq = seq,
			    .start = HEADERS + slot * slot_sectors(), .nrecords = 1 };
	memcpy(h.magic, magic, sizeof(magic));
	h.record[0].length = length;
	h.record[0].sum = fnv(FNV_START, im, length);
	return commit(&h, slot, h.start, im, length);
}

int disk_append(const void *delta, uint32_t length, uint32_t seq)
{
	struct header h = latest;
	uint32_t end = chain_end(&h), slot_end = HEADERS + (last_slot + 1) * slot_sectors();
	if (!h.nrecords || h.nrecords == MAX_CHAIN || sectors_of(length) > slot_end - end)
		return -1;
	h.seq = seq;
	h.record[h.nrecords].length = length;
	h.record[h.nrecords++].sum = fnv(FNV_START, delta, length);
	return commit(&h, last_slot, end, delta, length) ? -1 : 0;
}

/* Record i of h, read into a new buffer: NULL, or why not. */
static const char *read_record(const struct header *h, uint32_t i, uint32_t sector, char **out)
{
	uint32_t n = sectors_of(h->record[i].length);
	char *data = malloc(n ? n * SECTOR : 1);
	if (!data)
		return "no memory to read the checkpoint into";
	if (n && fluke_block_read_on(disk(), &io, sector, n, data) != FLUKE_SUCCESS) {
		free(data);
		return "a disk read failed";
	}
	uint32_t sum = fnv(FNV_START, data, h->record[i].length);
	if (sum != h->record[i].sum) {
		snprintf(why, sizeof(why), "checkpoint %u is corrupt: record %u of its chain sums "
			 "to %08x, its header says %08x", h->seq, i, sum, h->record[i].sum);
		free(data);
		return why;
	}
	*out = data;
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
	uint32_t end = best->start;
	int fits = best->nrecords >= 1 && best->nrecords <= MAX_CHAIN && best->start >= HEADERS &&
		   best->start < disk_sectors;
	for (uint32_t i = 0; fits && i < best->nrecords; i++) {
		fits = sectors_of(best->record[i].length) <= disk_sectors - end;
		end += fits ? sectors_of(best->record[i].length) : 0;
	}
	if (!fits) {
		snprintf(why, sizeof(why), "checkpoint %u is truncated: its chain of %u records from "
			 "sector %u does not fit on the disk of %u sectors", best->seq,
			 best->nrecords, best->start, disk_sectors);
		return why;
	}
	char *data;
	const char *bad = read_record(best, 0, best->start, &data);
	if (bad)
		return bad;
	struct image *im = (struct image *)data;
	bad = image_check(im, best->record[0].length);
	for (uint32_t i = 1, sector = best->start; !bad && i < best->nrecords; i++) {
		sector += sectors_of(best->record[i - 1].length);
		if (!(bad = read_record(best, i, sector, &data))) {
			bad = image_apply(&im, data, best->record[i].length);
			free(data);
		}
	}
	if (bad) {
		if (strncmp(bad, "checkpoint ", 11) != 0) {
			snprintf(why, sizeof(why), "checkpoint %u is malformed: %s", best->seq, bad);
			bad = why;
		}
		free(im);
		return bad;
	}
	latest = *best;
	*out = im;
	*seq = best->seq;
	return NULL;
}
