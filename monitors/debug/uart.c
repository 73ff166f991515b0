/*
 * The COM2 driver: a 16550 at FLUKE_IO_COM2, 115200 8N1 with its FIFO, raising
 * IRQ 3 when data arrives. Reading takes every byte the line status says is
 * there, and only then sleeps in fluke_io_wait: an interrupt raised after that
 * check is remembered by the kernel, so no byte is missed. Sending polls the
 * transmitter (the emulators' UART drains at once).
 * Invariant: only the session thread reads the line; pushed holds at most one
 * byte given back (-1: none).
 */
#include <portio.h>
#include "debug.h"
#include <fluke/abi/io.h>
#include <fluke/abi/error.h>
#include <stdio.h>

#define RBR	0	/* receive buffer (read) / transmit holding (write) */
#define IER	1	/* interrupt enable; with DLAB, divisor high */
#define FCR	2	/* FIFO control (write) / interrupt identification (read) */
#define LCR	3
#define MCR	4
#define LSR	5
#define LSR_DATA	0x01
#define LSR_THRE	0x20

static int pushed = -1;

int uart_init(void)
{
	uint16_t base = FLUKE_IO_COM2;
	outb(base + IER, 0);
	outb(base + LCR, 0x80);			/* DLAB: the divisor */
	outb(base + RBR, 1);			/* 115200 baud */
	outb(base + IER, 0);
	outb(base + LCR, 0x03);			/* 8N1 */
	outb(base + FCR, 0x01);			/* FIFO on, trigger at 1 byte; what GDB sent
						 * before we were ready stays */
	outb(base + MCR, 0x0b);			/* DTR, RTS, OUT2 (routes the IRQ) */
	outb(base + IER, 0x01);			/* interrupt on received data */
	(void)inb(base + FCR);
	(void)inb(base + LSR);
	return inb(base + LSR) == 0xff ? FLUKE_NOT_FOUND : FLUKE_SUCCESS;
}

int uart_getc(void)
{
	if (pushed >= 0) {
		int c = pushed;
		pushed = -1;
		return c;
	}
	for (;;) {
		if (inb(FLUKE_IO_COM2 + LSR) & LSR_DATA)
			return inb(FLUKE_IO_COM2 + RBR);
		int rc = fluke_io_wait(FLUKE_IO_COM2);
		if (rc == FLUKE_INTERRUPTED)
			return -1;
		if (rc != FLUKE_SUCCESS) {
			printf("debug: io_wait on COM2 failed (error %d)\n", rc);
			return -1;
		}
	}
}

void uart_ungetc(int c)
{
	pushed = c;
}

void uart_write(const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		while (!(inb(FLUKE_IO_COM2 + LSR) & LSR_THRE))
			;
		outb(FLUKE_IO_COM2 + RBR, (uint8_t)s[i]);
	}
}
