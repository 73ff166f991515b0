/*
 * The kernel reads the boot file system only to start the first task; the whole
 * archive is then that task's to serve. Invariant after bootfs_init succeeds: every
 * entry's name is NUL-terminated and its data lies inside the archive.
 */
#include "init/bootfs.h"
#include <fluke/abi/bootfs.h>
#include <string.h>

static paddr_t fs_start, fs_end;
static const struct fluke_bootfs_header *hdr;

int bootfs_init(paddr_t start, paddr_t end)
{
	const struct fluke_bootfs_header *h = P2V(start);
	uint32_t len = end - start;
	if (len < sizeof(*h) || h->magic != FLUKE_BOOTFS_MAGIC ||
	    h->version != FLUKE_BOOTFS_VERSION || h->size > len ||
	    h->nfiles > (len - sizeof(*h)) / sizeof(struct fluke_bootfs_entry))
		return -1;
	const struct fluke_bootfs_entry *e = (const struct fluke_bootfs_entry *)(h + 1);
	for (uint32_t i = 0; i < h->nfiles; i++)
		if (e[i].name[sizeof(e[i].name) - 1] != '\0' || e[i].offset > h->size ||
		    e[i].size > h->size - e[i].offset)
			return -1;
	fs_start = start;
	fs_end = end;
	hdr = h;
	return 0;
}

int bootfs_get(uint32_t i, struct bootfs_file *f)
{
	if (!hdr || i >= hdr->nfiles)
		return -1;
	const struct fluke_bootfs_entry *e = (const struct fluke_bootfs_entry *)(hdr + 1) + i;
	f->name = e->name;
	f->data = (const uint8_t *)hdr + e->offset;
	f->size = e->size;
	return 0;
}

int bootfs_find(const char *name, struct bootfs_file *f)
{
	for (uint32_t i = 0; bootfs_get(i, f) == 0; i++)
		if (strcmp(f->name, name) == 0)
			return 0;
	return -1;
}

paddr_t bootfs_start(void)
{
	return fs_start;
}

paddr_t bootfs_end(void)
{
	return fs_end;
}
