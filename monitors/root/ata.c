/*
 * ATA PIO, polled: the slave drive of the primary channel (ata.h). Its
 * interrupt stays masked at the drive (nIEN): every wait polls the status
 * register, bounded by ATA_TIMEOUT counts of the time-stamp counter (guest
 * instructions under the emulators), so a missing or dead drive is an error,
 * never a hang. Commands: IDENTIFY DEVICE (the size: words 60-61, the LBA28
 * sector count; LBA must be supported, word 49 bit 9), READ SECTORS and WRITE
 * SECTORS. Writes are not flushed (no FLUSH CACHE): the swap disk need not
 * outlive the run.
 */
#include "ata.h"
#include <fluke/abi/error.h>
#include <fluke/abi/io.h>
#include <fluke/tsc.h>
#include <portio.h>

#define ATA		FLUKE_IO_ATA0
#define ATA_DATA	(ATA + 0)	/* 16-bit data */
#define ATA_COUNT	(ATA + 2)
#define ATA_LBA0	(ATA + 3)
#define ATA_LBA1	(ATA + 4)
#define ATA_LBA2	(ATA + 5)
#define ATA_DRIVE	(ATA + 6)	/* 0xa0 | slave 0x10 | LBA 0x40 | LBA bits 24-27 */
#define ATA_STATUS	(ATA + 7)	/* read; write: the command */
#define ATA_CTL		FLUKE_IO_ATA0_CTL	/* read: alternate status; write: nIEN 0x02 */

#define ST_BSY		0x80
#define ST_DF		0x20		/* device fault */
#define ST_DRQ		0x08
#define ST_ERR		0x01

#define CMD_READ	0x20
#define CMD_WRITE	0x30
#define CMD_IDENTIFY	0xec

#define SLAVE		0xb0
#define LBA_MODE	0x40
#define SECTOR_WORDS	256
#define LBA28_MAX	(1u << 28)
#define ATA_TIMEOUT	1000000000ull	/* a second of guest time at 1e9 counts per second */

/* The 400 ns a drive may take to show its status after a select or a command:
 * four reads of the alternate status. */
static void settle(void)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ATA_CTL);
}

/* Poll until BSY is clear and (status & mask) == want: FLUKE_SUCCESS, or
 * FLUKE_IO_ERROR on ERR or DF, or when ATA_TIMEOUT passes first. */
static int wait_for(uint8_t mask, uint8_t want)
{
	uint64_t start = fluke_rdtsc();
	for (;;) {
		uint8_t st = inb(ATA_STATUS);
		if (!(st & ST_BSY)) {
			if (st & (ST_ERR | ST_DF))
				return FLUKE_IO_ERROR;
			if ((st & mask) == want)
				return FLUKE_SUCCESS;
		}
		if (fluke_rdtsc() - start > ATA_TIMEOUT)
			return FLUKE_IO_ERROR;
	}
}

/* Poll until BSY is clear, whatever the rest of the status says (ERR stays set
 * after a failed command until the next one is issued): FLUKE_SUCCESS, or
 * FLUKE_IO_ERROR once ATA_TIMEOUT passes. */
static int wait_idle(void)
{
	uint64_t start = fluke_rdtsc();
	while (inb(ATA_STATUS) & ST_BSY)
		if (fluke_rdtsc() - start > ATA_TIMEOUT)
			return FLUKE_IO_ERROR;
	return FLUKE_SUCCESS;
}

static void select_drive(uint32_t lba_high)
{
	outb(ATA_DRIVE, SLAVE | LBA_MODE | (lba_high & 0x0f));
	settle();
}

int ata_probe(uint32_t *sectors, const char **why)
{
	uint16_t id[SECTOR_WORDS];
	*sectors = 0;
	select_drive(0);
	outb(ATA_CTL, 0x02);			/* nIEN: no interrupts, we poll */
	uint8_t st = inb(ATA_STATUS);
	if (st == 0x00 || st == 0xff) {		/* an absent drive, a floating bus */
		*why = "no drive answers as the primary channel's slave";
		return FLUKE_NOT_FOUND;
	}
	if (wait_idle() != FLUKE_SUCCESS) {
		*why = "the primary channel's slave stays busy";
		return FLUKE_NOT_FOUND;
	}
	outb(ATA_COUNT, 0);
	outb(ATA_LBA0, 0);
	outb(ATA_LBA1, 0);
	outb(ATA_LBA2, 0);
	outb(ATA_STATUS, CMD_IDENTIFY);
	settle();
	if (inb(ATA_LBA1) != 0 || inb(ATA_LBA2) != 0) {	/* an ATAPI or SATA signature */
		*why = "the primary channel's slave is not an ATA disk (a CD drive?)";
		return FLUKE_NOT_FOUND;
	}
	if (wait_for(ST_DRQ, ST_DRQ) != FLUKE_SUCCESS) {
		*why = "the primary channel's slave refuses IDENTIFY DEVICE";
		return FLUKE_NOT_FOUND;
	}
	insw(ATA_DATA, id, SECTOR_WORDS);
	uint32_t n = id[60] | (uint32_t)id[61] << 16;
	if (!(id[49] & 0x200) || n == 0) {
		*why = "the primary channel's slave has no LBA addressing";
		return FLUKE_NOT_FOUND;
	}
	*sectors = n < LBA28_MAX ? n : LBA28_MAX;
	return FLUKE_SUCCESS;
}

/* Select the drive, load the task file for count sectors at lba, and issue cmd. */
static int command(uint8_t cmd, uint32_t lba, uint32_t count)
{
	if (wait_idle() != FLUKE_SUCCESS)
		return FLUKE_IO_ERROR;
	select_drive(lba >> 24);
	outb(ATA_COUNT, (uint8_t)count);
	outb(ATA_LBA0, (uint8_t)lba);
	outb(ATA_LBA1, (uint8_t)(lba >> 8));
	outb(ATA_LBA2, (uint8_t)(lba >> 16));
	outb(ATA_STATUS, cmd);
	settle();
	return FLUKE_SUCCESS;
}

int ata_read(uint32_t lba, uint32_t count, void *buf)
{
	uint16_t *p = buf;
	if (command(CMD_READ, lba, count) != FLUKE_SUCCESS)
		return FLUKE_IO_ERROR;
	for (uint32_t i = 0; i < count; i++, p += SECTOR_WORDS) {
		if (wait_for(ST_DRQ, ST_DRQ) != FLUKE_SUCCESS)
			return FLUKE_IO_ERROR;
		insw(ATA_DATA, p, SECTOR_WORDS);
		settle();
	}
	return FLUKE_SUCCESS;
}

int ata_write(uint32_t lba, uint32_t count, const void *buf)
{
	const uint16_t *p = buf;
	if (command(CMD_WRITE, lba, count) != FLUKE_SUCCESS)
		return FLUKE_IO_ERROR;
	for (uint32_t i = 0; i < count; i++, p += SECTOR_WORDS) {
		if (wait_for(ST_DRQ, ST_DRQ) != FLUKE_SUCCESS)
			return FLUKE_IO_ERROR;
		outsw(ATA_DATA, p, SECTOR_WORDS);
		settle();
	}
	return wait_for(ST_DRQ, 0);		/* the last sector is on the disk */
}
