/* Fatal kernel errors: panic, assert and the report they print. */
#ifndef KERN_DEBUG_PANIC_H
#define KERN_DEBUG_PANIC_H

#include <stdint.h>

struct trapframe;

void panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
/* A trap taken in kernel mode: report it and stop. */
void panic_trap(const struct trapframe *tf) __attribute__((noreturn));
/* Print the call chain that starts at frame pointer ebp (first return address eip). */
void backtrace_print(uint32_t eip, uint32_t ebp);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define assert(x) \
	do { if (!(x)) panic("assertion failed: %s", #x); } while (0)

#endif
