/*
 * The pager's swap area: the first kept_sectors sectors of the disk its parent
 * serves it (<fluke/block.h>), one slot of SECTORS_PER_PAGE sectors per page.
 * The rest of that disk, renumbered from 0, is what its children see (pager.c).
 * Invariant: used[s] is 1 exactly while some page's slot is s; slots_used
 * counts them. Pages move only under pager_lock (on the fault thread, or on a
 * COPY copying the pages that hold objects), through an exchange of its own.
 */
#include "pager.h"
#include <fluke/block.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t nslots, slots_used, disk_sectors, kept_sectors;
static uint8_t *used;
static const fluke_ref_t *disk;		/* the parent's Block port */
static struct fluke_rpc io;		/* the swap I/O's exchange */

int swap_init(uint32_t want)
{
	if (fluke_block_size(&disk_sectors) != FLUKE_SUCCESS)
		disk_sectors = 0;	/* no disk: no swap */
	if (want == NONE)
		want = disk_sectors / 2;
	if (disk_sectors && want > disk_sectors) {
		printf("pager: swap=%u sectors, but the disk has only %u\n", want, disk_sectors);
		return -1;
	}
	disk = fluke_service(FLUKE_SVC_BLOCK);
	fluke_rpc_init(&io);
	nslots = disk_sectors ? want / SECTORS_PER_PAGE : 0;
	kept_sectors = nslots * SECTORS_PER_PAGE;
	used = malloc(nslots ? nslots : 1);
	if (!used)
		return -1;
	memset(used, 0, nslots);
	return 0;
}

uint32_t slot_get(void)
{
	for (uint32_t s = 0; s < nslots; s++) {
		if (!used[s]) {
			used[s] = 1;
			slots_used++;
			return s;
		}
	}
	return NONE;
}

void slot_keep(uint32_t slot)
{
	used[slot] = 1;
	slots_used++;
}

void slot_put(uint32_t slot)
{
	used[slot] = 0;
	slots_used--;
}

int swap_out(uint32_t slot, const char *frame)
{
	/* LAB 2: BEGIN SOLUTION */
	return fluke_block_write_on(disk, &io, slot * SECTORS_PER_PAGE, SECTORS_PER_PAGE,
				    frame) == FLUKE_SUCCESS ? 0 : -1;
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)slot, (void)frame, (void)io;
	//| return -1;
	/* LAB 2: END */
}

int swap_in(uint32_t slot, char *frame)
{
	/* LAB 2: BEGIN SOLUTION */
	return fluke_block_read_on(disk, &io, slot * SECTORS_PER_PAGE, SECTORS_PER_PAGE,
				   frame) == FLUKE_SUCCESS ? 0 : -1;
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)slot, (void)frame;
	//| return -1;
	/* LAB 2: END */
}
