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
 *          LBA-low register reads back (PASS iocheck-root); then it gives up the
 *          primary channel and touches it: the fault ends the run
 * Before the fault it records PASS iocheck-permit if every refusal was right:
 * giving its own space a port it does not hold is FLUKE_NOT_PERMITTED, an empty
 * range or one past FLUKE_IO_PORTS is FLUKE_INVALID_ARGUMENT, and denying itself
 * ports (it holds none) succeeds.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/abi/io.h>
#include <fluke/start.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

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

static uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %w1" : : "a"(v), "Nd"(port));
}

static void root(void)
{
	const fluke_ref_t *self = fluke_self_space();
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_ATA0, 8, 1) == FLUKE_SUCCESS);
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_COM2, 8, 1) == FLUKE_SUCCESS);
	CHECK("iocheck-root", fluke_space_io_permit(self, 0x3f8, 8, 1) == FLUKE_NOT_PERMITTED);
	CHECK("iocheck-root", fluke_space_io_permit(self, FLUKE_IO_ATA0, 9, 1) ==
			      FLUKE_NOT_PERMITTED);	/* 0x1f8 is not held */
	outb(FLUKE_IO_ATA0 + 6, 0xa0);		/* select the master: the boot disk */
	for (uint8_t v = 0x5a; v != 0x5c; v++) {
		outb(FLUKE_IO_ATA0 + 3, v);
		CHECK("iocheck-root", inb(FLUKE_IO_ATA0 + 3) == v);
	}
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
