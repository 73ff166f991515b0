/*
 * The root's ATA driver (ata.c): the swap disk, the slave drive of the primary
 * channel (the master is the boot image), by polled PIO and 28-bit LBA. The
 * root holds the channel's ports from boot (<fluke/abi/io.h>). Not thread-safe:
 * callers serialize (the root serves Block under its monitor's lock).
 */
#ifndef ROOT_ATA_H
#define ROOT_ATA_H

#include <stdint.h>

/* Look for the disk: FLUKE_SUCCESS with its size in sectors, or FLUKE_NOT_FOUND
 * with *why saying what was (or was not) there. */
int ata_probe(uint32_t *sectors, const char **why);
/* Move count sectors (1 .. 255) at lba to or from buf, which holds count * 512
 * bytes: FLUKE_SUCCESS, or FLUKE_IO_ERROR if the drive reports an error or does
 * not answer within ATA_TIMEOUT counts of the time-stamp counter. */
int ata_read(uint32_t lba, uint32_t count, void *buf);
int ata_write(uint32_t lba, uint32_t count, const void *buf);

#endif
