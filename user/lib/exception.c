/* The C side of exception and interrupt handling; the entry point, shared by
 * both, is in exception_entry.S. */
#include <fluke/exception.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>

static fluke_exception_fn on_exception, on_interrupt;

void fluke_exception_entry(void);

/* Called by fluke_exception_entry: the function for what arrived. */
void fluke_exception_dispatch(uint32_t exc, uint32_t code, uint32_t addr)
{
	(exc == FLUKE_EXC_INTERRUPT ? on_interrupt : on_exception)(exc, code, addr);
}

/* Point the calling thread's handlers at the entry for whatever is installed, and
 * enable its exceptions if anything is. */
static int install(void)
{
	uint32_t entry = (uint32_t)fluke_exception_entry;
	fluke_thread_set_handlers(on_exception ? entry : 0, on_interrupt ? entry : 0);
	return on_exception || on_interrupt ? fluke_thread_enable_exceptions()
					    : fluke_thread_disable_exceptions();
}

int fluke_exception_handler(fluke_exception_fn fn)
{
	on_exception = fn;
	return install();
}

int fluke_interrupt_handler(fluke_exception_fn fn)
{
	on_interrupt = fn;
	return install();
}
