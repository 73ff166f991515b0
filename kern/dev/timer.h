/* The 8253/8254 programmable interval timer: the scheduler's clock. */
#ifndef KERN_DEV_TIMER_H
#define KERN_DEV_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

extern volatile uint64_t timer_ticks;

void timer_init(void);
void timer_intr(void);

#endif
