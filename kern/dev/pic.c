/*
 * 8259A programming: both controllers in cascade mode (slave on master line 2),
 * vectors T_IRQ0..T_IRQ0+15, every line masked until a driver enables it.
 */
#include "dev/pic.h"
#include "arch/trap.h"
#include "arch/x86.h"

#define MASTER_CMD	0x20
#define MASTER_DATA	0x21
#define SLAVE_CMD	0xa0
#define SLAVE_DATA	0xa1
#define OCW3_READ_IRR	0x0a
#define OCW3_READ_ISR	0x0b
#define EOI		0x20

static uint16_t mask = 0xffff & ~(1u << 2);	/* the cascade line stays open */

static void write_mask(void)
{
	outb(MASTER_DATA, mask & 0xff);
	outb(SLAVE_DATA, mask >> 8);
}

void pic_init(void)
{
	outb(MASTER_CMD, 0x11);		/* ICW1: edge triggered, cascade, ICW4 follows */
	outb(SLAVE_CMD, 0x11);
	outb(MASTER_DATA, T_IRQ0);	/* ICW2: vector base */
	outb(SLAVE_DATA, T_IRQ0 + 8);
	outb(MASTER_DATA, 1u << 2);	/* ICW3: slave on line 2 */
	outb(SLAVE_DATA, 2);
	outb(MASTER_DATA, 0x01);	/* ICW4: 8086 mode, normal EOI */
	outb(SLAVE_DATA, 0x01);
	write_mask();
}

void pic_enable(int irq)
{
	mask &= ~(1u << irq);
	write_mask();
}

int pic_in_service(int irq)
{
	uint16_t port = irq < 8 ? MASTER_CMD : SLAVE_CMD;
	outb(port, OCW3_READ_ISR);
	return (inb(port) >> (irq & 7)) & 1;
}

int pic_requested(int irq)
{
	uint16_t port = irq < 8 ? MASTER_CMD : SLAVE_CMD;
	outb(port, OCW3_READ_IRR);
	return (inb(port) >> (irq & 7)) & 1;
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(SLAVE_CMD, EOI);
	outb(MASTER_CMD, EOI);
}
