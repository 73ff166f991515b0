/*
 * I/O-port permission (handouts/api.md, "I/O ports"). Each space holds a set of
 * ports its threads may use with in/out from user mode; every other port raises
 * FLUKE_EXC_GENERAL (general protection, code 0), which goes to the thread's
 * handler or its space's keeper like any fault. A new space holds none; at boot
 * the kernel gives the first task the ranges below; space_io_permit
 * passes ports on, only from a space that holds them.
 */
#ifndef FLUKE_IO_H
#define FLUKE_IO_H

/* Ports 0 .. FLUKE_IO_PORTS - 1 can be permitted; higher ones never are. */
#define FLUKE_IO_PORTS		0x400

/* The ranges the first task holds from boot: both ATA channels (command blocks
 * and device control) and COM2. The kernel keeps the
 * PIC, timer, keyboard, COM1 and the emulators' debug ports to itself. */
#define FLUKE_IO_ATA0		0x1f0	/* primary ATA command block: 8 ports */
#define FLUKE_IO_ATA0_CTL	0x3f6	/* its device control / alternate status: 1 */
#define FLUKE_IO_ATA1		0x170	/* secondary ATA command block: 8 ports */
#define FLUKE_IO_ATA1_CTL	0x376	/* its device control / alternate status: 1 */
#define FLUKE_IO_COM2		0x2f8	/* second serial port: 8 ports */

#endif
