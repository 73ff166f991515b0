/*
 * Second half of the boot sector: runs in 32-bit protected mode, paging off.
 * Reads the boot block (LBA 1), loads the kernel ELF's segments at their physical
 * addresses, copies the boot file system where the boot block says (the first page
 * boundary after the kernel) and enters the kernel as a Multiboot loader would.
 * Disk access is ATA PIO on the primary channel. Layout: handouts/boot.md.
 */
#include <stdint.h>
#include <fluke/abi/elf.h>
#include "arch/x86.h"

#define SECTOR		512
#define BOOT_MAGIC	0x424B4C46u
#define MB_LOADER_MAGIC	0x2BADB002u

/* Sector 1. The image tool fills in the Multiboot structures too, so the loader
 * only reads the disk: they are valid once this block sits at 0x7E00. */
struct bootblock {
	uint32_t magic, kernel_lba, kernel_sectors, bootfs_lba, bootfs_sectors;
	uint32_t mb_info[7];		/* Multiboot information structure */
	uint32_t mb_module[4];		/* the one module: start, end, string, reserved */
	char cmdline[448];
};

#define BB	((struct bootblock *)0x7e00)
#define ELFHDR	((struct elf_header *)0x10000)

static void disk_wait(void)
{
	while ((inb(0x1f7) & 0xc0) != 0x40)	/* until BSY clear and DRDY set */
		;
}

static void read_sector(void *dst, uint32_t lba)
{
	disk_wait();
	outb(0x1f2, 1);
	outb(0x1f3, lba);
	outb(0x1f4, lba >> 8);
	outb(0x1f5, lba >> 16);
	outb(0x1f6, (lba >> 24) | 0xe0);	/* LBA mode, master drive */
	outb(0x1f7, 0x20);			/* READ SECTORS */
	disk_wait();
	__asm__ volatile("cld; rep insl"
			 : "+D"(dst), "=c"(lba)
			 : "d"(0x1f0), "c"(SECTOR / 4)
			 : "memory");
}

/* Read n sectors starting at lba to dst. */
static void read_sectors(uint8_t *dst, uint32_t lba, uint32_t n)
{
	for (; n > 0; n--, lba++, dst += SECTOR)
		read_sector(dst, lba);
}

void loader_main(void)
{
	read_sector(BB, 1);
	if (BB->magic != BOOT_MAGIC)
		return;
	read_sectors((uint8_t *)ELFHDR, BB->kernel_lba, 8);
	if (ELFHDR->magic != ELF_MAGIC)
		return;

	/* Segments are page aligned in the file (kern/kernel.ld), so whole sectors fit. */
	struct elf_phdr *ph = (struct elf_phdr *)((uint8_t *)ELFHDR + ELFHDR->phoff);
	for (int i = 0; i < ELFHDR->phnum; i++, ph++) {
		if (ph->type != PT_LOAD)
			continue;
		uint8_t *pa = (uint8_t *)ph->paddr;
		read_sectors(pa, BB->kernel_lba + ph->offset / SECTOR,
			     (ph->filesz + SECTOR - 1) / SECTOR);
		uint32_t n = ph->memsz - ph->filesz;
		pa += ph->filesz;
		__asm__ volatile("rep stosb" : "+D"(pa), "+c"(n) : "a"(0) : "memory");
	}
	read_sectors((uint8_t *)BB->mb_module[0], BB->bootfs_lba, BB->bootfs_sectors);
	__asm__ volatile("jmp *%2" : : "a"(MB_LOADER_MAGIC), "b"(BB->mb_info), "r"(ELFHDR->entry));
}
