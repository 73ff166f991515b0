/*
 * Handling this program's exceptions in C (kernel side: <fluke/thread.h>,
 * "Exceptions"). fluke_exception_handler(fn) makes every thread that enables
 * exceptions enter fn(exc, code, addr) on its own stack, exceptions disabled,
 * when one strikes: exc is FLUKE_EXC_*, code the x86 error code or the
 * FLUKE_INSANITY_* code, addr the faulting address of a page fault. When fn
 * returns, the thread resumes where the exception struck, with the registers
 * fluke_thread_set_saved_state may have changed (e.g. eip past the instruction).
 */
#ifndef FLUKE_EXCEPTION_H
#define FLUKE_EXCEPTION_H

#include <stdint.h>

typedef void (*fluke_exception_fn)(uint32_t exc, uint32_t code, uint32_t addr);

/* Install fn for this program (NULL: none) and enable the calling thread's
 * exceptions (other threads call fluke_thread_enable_exceptions). Returns 0. */
int fluke_exception_handler(fluke_exception_fn fn);
/* The same for interrupts (<fluke/thread.h>, "Interrupts"): fn(FLUKE_EXC_INTERRUPT,
 * 0, 0) runs when fluke_thread_interrupt or an IPC alert reaches the calling
 * thread; when it returns, the thread goes on where it was, and a call it waited in
 * runs (and waits) again. Other threads that want them call this too. Returns 0. */
int fluke_interrupt_handler(fluke_exception_fn fn);

#endif
