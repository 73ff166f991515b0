/*
 * Device interrupts for user-level drivers (fluke_io_wait; handouts/api.md, "I/O
 * ports"). The devices whose ports the kernel can lend (<fluke/abi/io.h>) raise
 * their interrupt lines here; a driver thread sleeps in io_wait until its
 * device's line has been raised since the last io_wait on it returned.
 * Invariant: raised[irq] is set by an interrupt on irq and cleared only by the
 * io_wait that reports it; a thread is on waiters[irq] only while raised[irq] is
 * clear.
 */
#ifndef KERN_DEV_IRQWAIT_H
#define KERN_DEV_IRQWAIT_H

#include <stdint.h>

struct thread;

/* The interrupt line of the lendable device that owns port, or -1. */
int irqwait_line(uint32_t port);
/* Turn the lendable devices' lines on (they stay quiet until a driver enables its
 * device's interrupts). */
void irqwait_init(void);
/* Interrupt on a line irqwait_line can answer: note it, wake its waiters. */
void irqwait_intr(int irq);
/* Whether irq has been raised since its last report; clears it if so. */
int irqwait_take(int irq);
/* Sleep the current thread until irq is raised (the call then runs again). */
void irqwait_sleep(int irq);
/* Whether t sleeps in io_wait (input from outside can wake it, as a console
 * reader: not a deadlock). */
int irqwait_waits(const struct thread *t);

#endif
