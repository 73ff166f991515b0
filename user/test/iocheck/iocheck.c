/*
 * iocheck MODE: I/O ports are the first task's alone (<fluke/abi/io.h>). Run by
 * any monitor (a space that holds no ports), it checks what space_io_permit
 * refuses, then touches a port and must take a general protection fault, which
 * its monitor reports:
 *   in     inb from the primary ATA status port (0x1f7), a port the root holds
 *   out    outb to COM2's scratch register (0x2ff), likewise
 *   high   inb from port 0x8900, past every port that can ever be permitted
 * and, run as the first task (init=iocheck root), which holds its ports from boot:
 *   root   giving itself ports it holds succeeds, ones it lacks (COM1, or a range
 *          only partly held) are refused; a byte written to the primary ATA
 *          LBA-low register reads back (PASS iocheck-root). It starts itself in
 *          a space of its own making ("iocheck delegated", no parent, no keeper)
 *          and gives that space the primary channel (not COM1: refused); the
 *          child waits until it holds the channel, uses it, is refused COM2 (not
 *          given), records PASS iocheck-delegated and touches COM2: the kernel
 *          reports the unhandled fault and the run goes on. Then the first task
 *          gives up the primary channel and touches it: the fault ends the run
 * Before the fault it records PASS iocheck-permit if every refusal was right:
 * giving its own space a port it does not hold is FLUKE_NOT_PERMITTED, an empty
 * range or one past FLUKE_IO_PORTS is FLUKE_INVALID_ARGUMENT, and denying itself
 * ports (it holds none) succeeds.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/abi/io.h>
#include <fluke/abi/boot.h>
#include <fluke/abi/bootfs.h>
#include <fluke/proc.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>
#include <portio.h>

static void permit(void)
{
	const fluke_ref_t *self = fluke_self_space();
	CHECK("iocheck-permit", fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 1) ==
				FLUKE_NOT_PERMITTED);
	CHECK("iocheck-permit", fluke_space_io_permit(self, 0x3f8, 8, 1) == FLUKE_NOT_PERMITTED);
	CHECK("iocheck-permit", fluke_space_io_permit(self, FLUKE_IO_ATA0, 0, 1) ==
				FLUKE_INVALID_ARGUMENT);
	CHECK("iocheck-permit", fluke_space_io_permit(self, FLUKE_IO_PORTS, 1, 1) ==
				FLUKE_INVALID_ARGUMENT);
	CHECK("iocheck-permit", fluke_space_io_permit(self, FLUKE_IO_PORTS - 1, 2, 0) ==
				FLUKE_INVALID_ARGUMENT);
	CHECK("iocheck-permit", fluke_space_io_permit(self, 0x10, 0xfffffff8u, 1) ==
				FLUKE_INVALID_ARGUMENT);	/* first + count wraps */
	CHECK("iocheck-permit", fluke_space_io_permit(self, 0, FLUKE_IO_PORTS, 0) ==
				FLUKE_SUCCESS);
	test_record("PASS", "iocheck-permit");
}

#define WAIT_YIELDS	10000	/* how long the child waits for its ports, the parent for it */

/* Write two values to the primary ATA LBA-low register of the master (the boot
 * disk) and read each back: 1 if both came back. */
static int ata_echo(void)
{
	outb(FLUKE_IO_ATA0 + 6, 0xa0);
	for (uint8_t v = 0x5a; v != 0x5c; v++) {
		outb(FLUKE_IO_ATA0 + 3, v);
		if (inb(FLUKE_IO_ATA0 + 3) != v)
			return 0;
	}
	return 1;
}

/* The child of "root": giving itself ports succeeds exactly when it holds them. */
static void delegated(void)
{
	const fluke_ref_t *self = fluke_self_space();
	for (int i = 0; i < WAIT_YIELDS; i++) {
		if (fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 1) == FLUKE_SUCCESS)
			break;
		fluke_thread_yield();
	}
	CHECK("iocheck-delegated", fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 1) ==
				   FLUKE_SUCCESS);
	CHECK("iocheck-delegated", ata_echo());
	CHECK("iocheck-delegated", fluke_space_io_permit(self, FLUKE_IO_COM2, 8, 1) ==
				   FLUKE_NOT_PERMITTED);
	test_record("PASS", "iocheck-delegated");
	(void)inb(FLUKE_IO_COM2 + 7);
	test_record("FAIL", "iocheck-delegated: COM2 did not fault");
}

/* This program's file in the boot file system. */
static int find_self(const void **elf, uint32_t *size)
{
	const struct fluke_bootfs_header *h = (const void *)FLUKE_BOOT_BOOTFS_VA;
	const struct fluke_bootfs_entry *e = (const void *)(h + 1);
	for (uint32_t i = 0; h->magic == FLUKE_BOOTFS_MAGIC && i < h->nfiles; i++, e++) {
		if (strcmp(e->name, "iocheck") == 0) {
			*elf = (const char *)h + e->offset;
			*size = e->size;
			return 1;
		}
	}
	return 0;
}

static struct fluke_proc child;

static void delegate(void)
{
	static fluke_ref_t none;
	static char *argv[] = { "iocheck", "delegated", 0 };
	const void *elf;
	uint32_t size;
	CHECK("iocheck-root", find_self(&elf, &size));
	fluke_ref_create(&none);
	CHECK("iocheck-root", fluke_proc_start(&child, elf, size, 2, argv, &none, 0) ==
			      FLUKE_SUCCESS);
	CHECK("iocheck-root", fluke_space_io_permit(&child.space_ref, 0x3f8, 1, 1) ==
			      FLUKE_NOT_PERMITTED);
	CHECK("iocheck-root", fluke_space_io_permit(&child.space_ref, FLUKE_IO_ATA0, 8, 1) ==
			      FLUKE_SUCCESS);
	/* Let the child run to its end (its records tell how it went); get_state
	 * would stop it. */
	for (int i = 0; i < WAIT_YIELDS; i++)
		fluke_thread_yield();
}

static void root(void)
{
	const fluke_ref_t *self = fluke_self_space();
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 1) == FLUKE_SUCCESS);
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_COM2, 8, 1) == FLUKE_SUCCESS);
	CHECK("iocheck-root", fluke_space_io_permit(self, 0x3f8, 8, 1) == FLUKE_NOT_PERMITTED);
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_ATA0, 9, 1) ==
			      FLUKE_NOT_PERMITTED);	/* 0x1f8 is not held */
	CHECK("iocheck-root", ata_echo());
	delegate();
	if (test_failures)
		return;
	test_record("PASS", "iocheck-root");
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 0) == FLUKE_SUCCESS);
	printf("iocheck: touching a port it gave up\n");
	printf("iocheck: read 0x%x\n", inb(FLUKE_IO_ATA0 + 7));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "root") == 0) {
		root();
		return 1;
	}
	if (strcmp(mode, "delegated") == 0) {
		delegated();
		return 1;
	}
	if (strcmp(mode, "in") && strcmp(mode, "out") && strcmp(mode, "high")) {
		printf("iocheck: unknown mode '%s'; the modes are in, out, high and root\n", mode);
		return 2;
	}
	permit();
	printf("iocheck: about to touch a port (%s)\n", mode);
	if (strcmp(mode, "in") == 0)
		printf("iocheck: read 0x%x\n", inb(FLUKE_IO_ATA0 + 7));
	else if (strcmp(mode, "out") == 0)
		outb(FLUKE_IO_COM2 + 7, 0x5a);
	else
		printf("iocheck: read 0x%x\n", inb(0x8900));
	printf("iocheck: still running after touching the port\n");
	return 1;
}
