/*
 * kmain: the kernel's C entry, called by arch/entry.S on the boot stack with the
 * Multiboot magic and the physical address of the Multiboot information.
 * Order matters: the direct map first (everything else touches memory through
 * it), then the console (so failures can be reported), then the rest.
 */
#include "arch/mmu.h"
#include "arch/seg.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "dev/irqwait.h"
#include "dev/console.h"
#include "dev/pic.h"
#include "dev/timer.h"
#include "debug/panic.h"
#include "debug/record.h"
#include "init/bootfs.h"
#include "init/cmdline.h"
#include "init/ktest.h"
#include "init/roottask.h"
#include "lib/printf.h"
#include "mm/kvm.h"
#include "mm/pmem.h"
#include "thread/sched.h"
#include <string.h>

#define FLUKE_VERSION		"0.1"
#define MB_LOADER_MAGIC		0x2BADB002u
#define MB_INFO_MEM		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

extern char end[];	/* first address past the kernel image (kernel.ld) */

/* Physical memory size from the CMOS: KiB above 1 MiB, and 64 KiB blocks above 16 MiB. */
static paddr_t cmos_memory(void)
{
	uint32_t kb, blocks;
	outb(0x70, 0x30);
	kb = inb(0x71);
	outb(0x70, 0x31);
	kb |= inb(0x71) << 8;
	outb(0x70, 0x34);
	blocks = inb(0x71);
	outb(0x70, 0x35);
	blocks |= inb(0x71) << 8;
	return blocks ? 16 * 1024 * 1024 + blocks * 65536 : 1024 * 1024 + kb * 1024;
}

void kmain(uint32_t magic, paddr_t mbi_pa)
{
	kvm_init();
	const struct mb_info *mbi = P2V(mbi_pa);
	paddr_t mem_top = magic == MB_LOADER_MAGIC && (mbi->flags & MB_INFO_MEM)
			? 0x100000 + mbi->mem_upper * 1024 : cmos_memory();

	seg_init();
	trap_init();
	pic_init();
	console_init();
	irqwait_init();
	if (magic != MB_LOADER_MAGIC)
		panic("not started by a Multiboot loader (magic 0x%08x)", magic);
	if (mbi->flags & MB_INFO_CMDLINE)
		strlcpy(boot_cmdline, P2V(mbi->cmdline), sizeof(boot_cmdline));
	record_init(boot_cmdline);
	/* tsc: what the firmware and the boot loader ran, which no budget counts. */
	record_emit("BOOT", "version=" FLUKE_VERSION " tsc=%llu", record_start_tsc());
	kprintf("Fluke kernel %s (i386), %u KiB of physical memory\n", FLUKE_VERSION,
		(unsigned)(mem_top / 1024));
	kprintf("command line: %s\n", boot_cmdline);

	if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count < 1)
		panic("no boot file system: boot obj/fluke.img, or give QEMU -initrd obj/bootfs.img");
	const struct mb_module *mod = P2V(mbi->mods_addr);
	if (bootfs_init(mod->start, mod->end) < 0)
		panic("the boot file system at 0x%x is malformed; rebuild with 'make'", mod->start);
	paddr_t free_start = (paddr_t)end - KERNBASE;
	if (mod->end > free_start)
		free_start = mod->end;
	pmem_init(mem_top, free_start);
	kprintf("%u pages free\n", pmem_free_pages());

	timer_init();
	sched_init();
	ktest_run(boot_cmdline);
	roottask_start(boot_cmdline);
	sched_start();
}
