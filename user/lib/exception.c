/* The C side of exception handling; the entry point is in exception_entry.S. */
#include <fluke/exception.h>
#include <fluke/syscalls.h>

/* Called by fluke_exception_entry. */
fluke_exception_fn fluke_exception_fn_installed;

void fluke_exception_entry(void);

int fluke_exception_handler(fluke_exception_fn fn)
{
	fluke_exception_fn_installed = fn;
	fluke_thread_set_handlers(fn ? (uint32_t)fluke_exception_entry : 0, 0);
	return fn ? fluke_thread_enable_exceptions() : fluke_thread_disable_exceptions();
}
