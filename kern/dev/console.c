/* Console multiplexing and the input ring buffer. */
#include "dev/console.h"
#include "dev/pic.h"
#include "arch/trap.h"
#include "thread/thread.h"
#include "thread/waitq.h"
#include <stddef.h>

#define INPUT_SIZE 256

static struct {
	char buf[INPUT_SIZE];
	unsigned head, tail;	/* head: next to read; tail: next to write; head == tail: empty */
} input;

/* Threads sleeping in console_wait; console_intr wakes them all when input is
 * waiting, and each runs its read again (so none is woken to an empty buffer
 * unless another reader took the input first, and then it sleeps again). */
static struct waitq readers;
static unsigned received;	/* input characters seen by console_intr */

void console_init(void)
{
	serial_init();
	vga_init();
	pic_enable(IRQ_KBD);
	pic_enable(IRQ_COM1);
}

void console_putc(int c)
{
	serial_putc(c);
	vga_putc(c);
}

void console_write(const char *s, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		console_putc(s[i]);
}

static void input_put(int c)
{
	if (c <= 0)
		return;			/* nothing */
	received++;
	if (input.tail - input.head == INPUT_SIZE)
		return;			/* the buffer is full: drop it */
	input.buf[input.tail++ % INPUT_SIZE] = c;
}

void console_intr(void)
{
	int c;
	while ((c = serial_getc()) >= 0)
		input_put(c == '\r' ? '\n' : c);
	while ((c = kbd_getc()) >= 0)
		input_put(c);
	if (input.head != input.tail)
		waitq_wake_all(&readers);
}

void console_wait(void)
{
	waitq_sleep(&readers, NULL);
}

unsigned console_input_count(void)
{
	return received;
}

int console_waits(const struct thread *t)
{
	return t->state == THREAD_BLOCKED && t->wq == &readers;
}

int console_getc(void)
{
	console_intr();		/* poll too, for callers running with interrupts off */
	if (input.head == input.tail)
		return -1;
	return (unsigned char)input.buf[input.head++ % INPUT_SIZE];
}
