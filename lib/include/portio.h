/*
 * x86 I/O-port instructions, for the kernel and for user-level drivers alike. In
 * user mode each faults (general protection) unless the thread's space holds
 * the port (<fluke/abi/io.h>); the kernel runs at CPL 0 and may use any port.
 */
#ifndef PORTIO_H
#define PORTIO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/* words 16-bit reads of port into buf, and writes from buf to it (rep insw/outsw). */
static inline void insw(uint16_t port, void *buf, uint32_t words)
{
	__asm__ volatile("cld; rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static inline void outsw(uint16_t port, const void *buf, uint32_t words)
{
	__asm__ volatile("cld; rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

#endif
