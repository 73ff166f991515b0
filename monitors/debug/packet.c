/*
 * GDB Remote Serial Protocol framing (given code in lab 4). A packet is
 * $data#cs, cs the sum of data's bytes mod 256 in two hex digits; the receiver
 * answers '+' (good) or '-' (send again), until QStartNoAckMode turns acks off.
 * ^C (0x03) outside a packet asks to stop the target. A '$' inside a packet
 * starts it over (the sender gave up on the first: a truncated packet is
 * dropped, never answered). Binary data (X) escapes $ # } * as } and c ^ 0x20;
 * the X handler undoes it. Replies never use run-length encoding.
 */
#include "debug.h"
#include <string.h>

int pkt_noack;

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_parse(const char **p, uint32_t *v)
{
	const char *s = *p;
	uint32_t x = 0;
	int n = 0;
	for (; hex_digit(*s) >= 0 && n < 8; s++, n++)
		x = x << 4 | hex_digit(*s);
	if (n == 0 || hex_digit(*s) >= 0)	/* none, or more than 32 bits */
		return -1;
	*p = s;
	*v = x;
	return 0;
}

char *hex_put(char *out, const void *bytes, uint32_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = bytes;
	for (uint32_t i = 0; i < n; i++) {
		*out++ = digits[b[i] >> 4];
		*out++ = digits[b[i] & 15];
	}
	*out = 0;
	return out;
}

int hex_get(const char *in, void *bytes, uint32_t n)
{
	uint8_t *b = bytes;
	for (uint32_t i = 0; i < n; i++) {
		int hi = hex_digit(in[2 * i]), lo = hi < 0 ? -1 : hex_digit(in[2 * i + 1]);
		if (lo < 0)
			return -1;
		b[i] = hi << 4 | lo;
	}
	return 0;
}

int pkt_read(char *buf, uint32_t max)
{
	int c;
	for (;;) {
		/* Outside a packet: acks of ours that came late, ^C, noise. */
		do {
			c = uart_getc();
			if (c < 0)
				return PKT_INTERRUPTED;
			if (c == 0x03)
				return PKT_BREAK;
		} while (c != '$');
	restart:;
		uint32_t len = 0, sum = 0;
		int toolong = 0;
		while ((c = uart_getc()) != '#') {
			if (c < 0)
				return PKT_INTERRUPTED;
			if (c == '$')
				goto restart;
			sum += (uint8_t)c;
			if (len < max)
				buf[len++] = c;
			else
				toolong = 1;
		}
		int hi = uart_getc(), lo = hi < 0 || hi == '$' ? hi : uart_getc();
		if (lo < 0)
			return PKT_INTERRUPTED;
		if (hi == '$' || lo == '$')
			goto restart;	/* a new sender: this one never finished */
		int cs = hex_digit(hi) < 0 || hex_digit(lo) < 0 ? -1 :
			 hex_digit(hi) << 4 | hex_digit(lo);
		if (!pkt_noack && cs != (int)(sum & 0xff)) {
			uart_write("-", 1);	/* send it again */
			continue;
		}
		if (!pkt_noack)
			uart_write("+", 1);
		if (toolong)
			return PKT_TOOLONG;
		buf[len] = 0;
		return len;
	}
}

void pkt_send(const char *data, uint32_t n)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t sum = 0;
	for (uint32_t i = 0; i < n; i++)
		sum += (uint8_t)data[i];
	char tail[3] = { '#', digits[sum >> 4], digits[sum & 15] };
	for (;;) {
		uart_write("$", 1);
		uart_write(data, n);
		uart_write(tail, 3);
		if (pkt_noack)
			return;
		int c;
		do
			c = uart_getc();
		while (c == -1 || (c != '+' && c != '-' && c != '$' && c != 0x03));
		if (c == '+')
			return;
		if (c == '$' || c == 0x03) {	/* a new GDB, or one that gave up on the ack */
			uart_ungetc(c);
			return;
		}
	}
}

void pkt_send_str(const char *s)
{
	pkt_send(s, strlen(s));
}
