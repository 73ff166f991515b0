/* The two cascaded 8259A interrupt controllers, remapped to vectors 32..47. */
#ifndef KERN_DEV_PIC_H
#define KERN_DEV_PIC_H

void pic_init(void);
void pic_enable(int irq);
void pic_eoi(int irq);
int pic_in_service(int irq);
/* Whether irq has been raised and not yet taken (the kernel runs with interrupts
 * off, so a timer tick during a long call waits here). */
int pic_requested(int irq);

#endif
