/*
 * Channel 0 of the PIT in rate-generator mode at TIMER_HZ. Each tick counts in
 * timer_ticks and checks the run's instruction budget (debug/record.c): under QEMU
 * -icount the guest's time-stamp counter advances once per instruction, so a run
 * stops at the same point on any host.
 */
#include "dev/timer.h"
#include "dev/pic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "debug/record.h"

#define PIT_HZ		1193182
#define PIT_CH0		0x40
#define PIT_MODE	0x43

volatile uint64_t timer_ticks;

void timer_init(void)
{
	uint16_t divisor = PIT_HZ / TIMER_HZ;
	outb(PIT_MODE, 0x34);		/* channel 0, lobyte/hibyte, mode 2 */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	pic_enable(IRQ_TIMER);
}

void timer_intr(void)
{
	timer_ticks++;
	record_check_budget();
}
