/*
 * COM1, 8250/16550 UART at 115200 baud, 8N1, receive interrupts on.
 * A present UART is waited for as long as it takes: its transmit register
 * empties when the byte before is on the wire, however long the other end
 * (an emulator's socket on a stalled host) keeps it full. Writing sooner would
 * overwrite a byte not yet sent. That wait is the host's time, not the
 * guest's: it counts as idle (sched_add_idle), so that a test's budget does not
 * depend on how fast the other end reads. An absent UART (its status reads 0xff)
 * is not written at all.
 */
#include "dev/console.h"
#include "arch/x86.h"
#include "thread/sched.h"

#define COM1		0x3f8
#define R_DATA		0	/* receive/transmit; divisor low when DLAB */
#define R_IER		1	/* interrupt enable; divisor high when DLAB */
#define R_FCR		2
#define R_LCR		3
#define R_MCR		4
#define R_LSR		5
#define LSR_DATA	0x01
#define LSR_THR_EMPTY	0x20
#define LSR_IDLE	0x40	/* transmitter empty: every byte is on the wire */

static int present;

void serial_init(void)
{
	outb(COM1 + R_IER, 0);
	outb(COM1 + R_LCR, 0x80);	/* DLAB on */
	outb(COM1 + R_DATA, 1);		/* 115200 / 1 */
	outb(COM1 + R_IER, 0);
	outb(COM1 + R_LCR, 0x03);	/* DLAB off, 8N1 */
	outb(COM1 + R_FCR, 0x07);	/* FIFOs on and cleared */
	outb(COM1 + R_MCR, 0x0b);	/* DTR, RTS, OUT2 (routes the IRQ) */
	outb(COM1 + R_IER, 0x01);	/* interrupt on received data */
	present = inb(COM1 + R_LSR) != 0xff;
	(void)inb(COM1 + R_DATA);
}

void serial_putc(int c)
{
	if (!present)
		return;
	if (c == '\n')
		serial_putc('\r');
	if (!(inb(COM1 + R_LSR) & LSR_THR_EMPTY)) {
		uint64_t start = rdtsc();
		while (!(inb(COM1 + R_LSR) & LSR_THR_EMPTY))
			;
		sched_add_idle(rdtsc() - start);
	}
	outb(COM1 + R_DATA, c);
}

int serial_getc(void)
{
	if (!present || !(inb(COM1 + R_LSR) & LSR_DATA))
		return -1;
	return inb(COM1 + R_DATA);
}

void serial_flush(void)
{
	uint64_t start = rdtsc();
	while (present && !(inb(COM1 + R_LSR) & LSR_IDLE))
		;
	sched_add_idle(rdtsc() - start);
}
