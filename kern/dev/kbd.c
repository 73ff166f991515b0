/*
 * PS/2 keyboard, scan code set 1: letters, digits, punctuation, Enter, Backspace,
 * Tab, Escape, with Shift, Caps Lock and Ctrl. Other keys are ignored.
 */
#include "dev/console.h"
#include "arch/x86.h"

#define KBD_STATUS	0x64
#define KBD_DATA	0x60
#define STATUS_FULL	0x01
#define RELEASE		0x80

#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1d
#define SC_CAPS		0x3a

static const char normal[0x3a] =
	"\0\x1b" "1234567890-=\b"
	"\tqwertyuiop[]\n"
	"\0asdfghjkl;'`"
	"\0\\zxcvbnm,./\0*\0 ";
static const char shifted[0x3a] =
	"\0\x1b" "!@#$%^&*()_+\b"
	"\tQWERTYUIOP{}\n"
	"\0ASDFGHJKL:\"~"
	"\0|ZXCVBNM<>?\0*\0 ";

static int shift, ctrl, caps;

int kbd_getc(void)
{
	while (inb(KBD_STATUS) & STATUS_FULL) {
		uint8_t sc = inb(KBD_DATA);
		uint8_t key = sc & ~RELEASE;
		int down = !(sc & RELEASE);
		if (key == SC_LSHIFT || key == SC_RSHIFT) {
			shift = down;
			continue;
		}
		if (key == SC_CTRL) {
			ctrl = down;
			continue;
		}
		if (key == SC_CAPS) {
			caps ^= down;
			continue;
		}
		if (!down || key >= sizeof(normal) || !normal[key])
			continue;
		int c = shift ? shifted[key] : normal[key];
		if (caps && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (caps && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (ctrl && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			c = (c | 0x20) - 'a' + 1;
		return c;
	}
	return -1;
}
