/*
 * The kernel console: output goes to COM1 and the VGA text screen; input comes
 * from COM1 and the PS/2 keyboard into one buffer.
 */
#ifndef KERN_DEV_CONSOLE_H
#define KERN_DEV_CONSOLE_H

struct thread;

void console_init(void);
void console_putc(int c);
void console_write(const char *s, unsigned len);
/* The next input character, or -1 if none is waiting. */
int console_getc(void);
/* Block the current thread until console_intr sees input; it leaves the CPU on
 * its way back to user mode and then restarts its call (kernel runs with IF off,
 * so no input can slip in between a caller's empty check and this sleep). */
void console_wait(void);
/* Interrupt handler for both input devices; wakes console_wait's sleepers. */
void console_intr(void);
/* Characters of input received so far, kept or dropped (the IDLE record's input=). */
unsigned console_input_count(void);
/* Whether thread t sleeps in console_wait. */
int console_waits(const struct thread *t);

/* The devices behind it. */
void serial_init(void);
void serial_putc(int c);
int serial_getc(void);
/* Wait until every byte written has left the UART (before the machine stops). */
void serial_flush(void);
void vga_init(void);
void vga_putc(int c);
int kbd_getc(void);

#endif
