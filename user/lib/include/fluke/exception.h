/*
 * Handling a thread's exceptions and interrupts in C (kernel side: <fluke/thread.h>,
 * "Exceptions" and "Interrupts"). Both are per thread and opt-in: each call sets the
 * handler of the calling thread only, and a thread that never installs one has
 * none (its exceptions are unhandled; an interrupt cuts its next IPC wait short
 * with FLUKE_INTERRUPTED), whatever other threads of the program installed.
 *
 * fluke_exception_handler(fn): when an exception strikes the thread, it enters
 * fn(exc, code, addr) on its own stack, exceptions disabled: exc is FLUKE_EXC_*,
 * code the x86 error code or the FLUKE_INSANITY_* code, addr the faulting address
 * of a page fault. When fn returns, the thread resumes where the exception struck,
 * with the registers fluke_thread_set_saved_state may have changed (e.g. eip past
 * the instruction).
 */
#ifndef FLUKE_EXCEPTION_H
#define FLUKE_EXCEPTION_H

/* Distinct handler functions a program may install (in all its threads, exception
 * and interrupt handlers together); each has an entry point of its own. */
#define FLUKE_HANDLER_SLOTS 16

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef void (*fluke_exception_fn)(uint32_t exc, uint32_t code, uint32_t addr);

/* Make fn the calling thread's exception handler and enable its exceptions; NULL:
 * none (its interrupt handler, if any, stays). Returns 0, or FLUKE_NO_MEMORY if
 * FLUKE_HANDLER_SLOTS other functions are installed already. */
int fluke_exception_handler(fluke_exception_fn fn);
/* The same for the calling thread's interrupts: fn(FLUKE_EXC_INTERRUPT, 0, 0) runs
 * when fluke_thread_interrupt or an IPC alert reaches it; when fn returns, the
 * thread goes on where it was, and a call it waited in runs (and waits) again.
 * NULL: none (interrupts return FLUKE_INTERRUPTED again; its exception handler
 * stays). Returns 0 or FLUKE_NO_MEMORY. */
int fluke_interrupt_handler(fluke_exception_fn fn);
#endif

#endif
