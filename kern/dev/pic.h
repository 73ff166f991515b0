/* The two cascaded 8259A interrupt controllers, remapped to vectors 32..47. */
#ifndef KERN_DEV_PIC_H
#define KERN_DEV_PIC_H

void pic_init(void);
void pic_enable(int irq);
void pic_eoi(int irq);
int pic_in_service(int irq);

#endif
