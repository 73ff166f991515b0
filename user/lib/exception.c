/* The C side of exception and interrupt handling; the entry points, one per slot,
 * are in exception_entry.S. Each thread's handlers are the kernel's (the trap and
 * interrupt handler entries of its state), so installing one in a thread touches
 * no other thread. */
#include <fluke/exception.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>

#define ENTRY_SIZE 16

/* The function of each slot; a slot, once taken, keeps its function. */
static fluke_exception_fn slots[FLUKE_HANDLER_SLOTS];

extern const uint8_t fluke_handler_entries[];

/* Called by the entry of slot: the function for what arrived. */
void fluke_exception_dispatch(uint32_t exc, uint32_t code, uint32_t addr, uint32_t slot)
{
	slots[slot](exc, code, addr);
}

/* The entry point that calls fn: fn's slot, taken now if it has none (a
 * compare-and-swap, as threads of the program may install at once); 0 if every
 * slot holds another function. */
static uint32_t entry_of(fluke_exception_fn fn)
{
	for (uint32_t i = 0; i < FLUKE_HANDLER_SLOTS; i++)
		if (slots[i] == fn || __sync_bool_compare_and_swap(&slots[i], 0, fn) ||
		    slots[i] == fn)
			return (uint32_t)(fluke_handler_entries + i * ENTRY_SIZE);
	return 0;
}

/* Set the calling thread's trap (trap 1) or interrupt handler to fn, leaving the
 * other as it is; with a function, enable its exceptions. */
static int install(fluke_exception_fn fn, int trap)
{
	uint32_t entry = 0;
	if (fn && !(entry = entry_of(fn)))
		return FLUKE_NO_MEMORY;
	fluke_thread_set_handlers(trap ? entry : FLUKE_HANDLER_KEEP,
				  trap ? FLUKE_HANDLER_KEEP : entry);
	return fn ? fluke_thread_enable_exceptions() : FLUKE_SUCCESS;
}

int fluke_exception_handler(fluke_exception_fn fn)
{
	return install(fn, 1);
}

int fluke_interrupt_handler(fluke_exception_fn fn)
{
	return install(fn, 0);
}
