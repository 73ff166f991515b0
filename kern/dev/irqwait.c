/* Device interrupts waited for by user-level drivers: see irqwait.h. */
#include "dev/irqwait.h"
#include "dev/pic.h"
#include "thread/thread.h"
#include "thread/waitq.h"
#include "arch/trap.h"
#include <fluke/abi/io.h>
#include <stddef.h>

#define LINES	16

/* The lendable devices: their ports and interrupt lines. */
static const struct {
	uint32_t first, count;
	int irq;
} devices[] = {
	{ FLUKE_IO_COM2, 8, IRQ_COM2 },
	{ FLUKE_IO_ATA0, 8, IRQ_ATA0 },
	{ FLUKE_IO_ATA0_CTL, 1, IRQ_ATA0 },
	{ FLUKE_IO_ATA1, 8, IRQ_ATA1 },
	{ FLUKE_IO_ATA1_CTL, 1, IRQ_ATA1 },
};
#define NDEVICES (sizeof(devices) / sizeof(devices[0]))

static struct waitq waiters[LINES];
static int raised[LINES];

int irqwait_line(uint32_t port)
{
	for (unsigned i = 0; i < NDEVICES; i++)
		if (port >= devices[i].first && port - devices[i].first < devices[i].count)
			return devices[i].irq;
	return -1;
}

void irqwait_init(void)
{
	for (unsigned i = 0; i < NDEVICES; i++)
		pic_enable(devices[i].irq);
}

void irqwait_intr(int irq)
{
	raised[irq] = 1;
	waitq_wake_all(&waiters[irq]);
}

int irqwait_take(int irq)
{
	int was = raised[irq];
	raised[irq] = 0;
	return was;
}

void irqwait_sleep(int irq)
{
	waitq_sleep(&waiters[irq], NULL);
}

int irqwait_waits(const struct thread *t)
{
	if (t->state != THREAD_BLOCKED)
		return 0;
	for (int i = 0; i < LINES; i++)
		if (t->wq == &waiters[i])
			return 1;
	return 0;
}
