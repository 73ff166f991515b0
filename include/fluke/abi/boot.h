/*
 * What the kernel tells the first task about its memory. The kernel builds that
 * task's space from regions over physical memory and mappings of them, and puts
 * this struct at the top of its stack; crt0 passes its address to main as the
 * third argument: int main(int argc, char **argv, struct fluke_boot_info *boot),
 * and [esp+12] holds FLUKE_START_BOOT.
 * Every object here is live: the program may inspect, protect or destroy them.
 */
#ifndef FLUKE_BOOT_H
#define FLUKE_BOOT_H

#include <fluke/abi/types.h>
#include <fluke/abi/vm.h>

/* Indices into areas[]; the ELF segments follow, in program-header order. */
#define FLUKE_BOOT_FREE		0	/* the rest of free physical memory */
#define FLUKE_BOOT_BOOTFS	1	/* the boot file system, read-only */
#define FLUKE_BOOT_STACK	2
#define FLUKE_BOOT_SEGMENTS	3
#define FLUKE_BOOT_AREAS	8

/* The most one fluke_console_write (a bootstrap call) writes: the kernel is not
 * preempted, so a call must stay short. */
#define FLUKE_CONSOLE_WRITE_MAX	65536

/* The start kind at [esp+12] of every program's initial stack (<fluke/start.h>):
 * the kernel's first task, or a child a monitor started. */
#define FLUKE_START_BOOT	0x544f4f42u	/* "BOOT" */
#define FLUKE_START_CHILD	0x444c4843u	/* "CHLD" */

/* Where the kernel maps the free memory and the boot file system. */
#define FLUKE_BOOT_FREE_VA	0x40000000u
#define FLUKE_BOOT_BOOTFS_VA	0x30000000u

struct fluke_boot_area {
	fluke_region_t region;		/* over physical memory (its space link is null) */
	fluke_mapping_t mapping;	/* of all of region into this task */
	fluke_ref_t region_ref;		/* a reference to region */
	uint32_t start_va;		/* where mapping puts it */
	uint32_t size;			/* bytes; 0: this area is unused */
	uint32_t prot;			/* FLUKE_PROT_* */
	uint32_t phys;			/* the region's physical address */
};

struct fluke_boot_info {
	fluke_space_t space;		/* this task's own space */
	fluke_ref_t space_ref;		/* a reference to it */
	fluke_thread_t thread;		/* this task's first thread (the one running main) */
	uint32_t nareas;		/* areas[] in use */
	uint32_t pad[3];
	struct fluke_boot_area areas[FLUKE_BOOT_AREAS];
};

#endif
