/* The VGA text screen: 80x25 cells at physical 0xB8000, scrolling, hardware cursor. */
#include "dev/console.h"
#include "arch/mmu.h"
#include "arch/x86.h"
#include <string.h>

#define COLS	80
#define ROWS	25
#define ATTR	0x0700		/* light grey on black */
#define CRTC	0x3d4

static uint16_t *screen;
static unsigned pos;		/* cursor cell, 0 .. COLS*ROWS-1 */

static void move_cursor(void)
{
	outb(CRTC, 14);
	outb(CRTC + 1, pos >> 8);
	outb(CRTC, 15);
	outb(CRTC + 1, pos & 0xff);
}

void vga_init(void)
{
	screen = P2V(0xb8000);
	for (unsigned i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR | ' ';
	pos = 0;
	move_cursor();
}

void vga_putc(int c)
{
	switch (c) {
	case '\n':
		pos += COLS - pos % COLS;
		break;
	case '\r':
		pos -= pos % COLS;
		break;
	case '\b':
		if (pos % COLS)
			screen[--pos] = ATTR | ' ';
		break;
	case '\t':
		do
			screen[pos++] = ATTR | ' ';
		while (pos % 8);
		break;
	default:
		screen[pos++] = ATTR | (c & 0xff);
		break;
	}
	if (pos >= COLS * ROWS) {	/* scroll one line */
		memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(*screen));
		for (unsigned i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
			screen[i] = ATTR | ' ';
		pos -= COLS;
	}
	move_cursor();
}
