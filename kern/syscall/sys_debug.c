/* Bootstrap and test calls: the kernel console, test records, shutdown. */
#include "syscall_decls.h"
#include "syscall/syscall.h"
#include "thread/thread.h"
#include "vm/uaccess.h"
#include "dev/console.h"
#include "debug/record.h"
#include "init/roottask.h"
#include <fluke/abi/boot.h>
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

#define CHUNK 128

/* The whole buffer is checked before the first character goes out, so a call run
 * again after a fault in buf writes nothing twice. (The user stub expects EBX and
 * ECX back unchanged: they cannot carry progress.) The kernel is not preempted, so
 * one call writes at most CONSOLE_WRITE_MAX bytes: a hostile length cannot hold
 * the CPU for long. */
int sys_console_write(uint32_t buf, uint32_t len)
{
	char tmp[CHUNK];
	if (len > FLUKE_CONSOLE_WRITE_MAX)
		return FLUKE_INVALID_ARGUMENT;
	if (uaccess_check(current->space, buf, len, FLUKE_PROT_READ) < 0)
		return FLUKE_BAD_ADDRESS;
	while (len > 0) {
		uint32_t n = len < CHUNK ? len : CHUNK;
		copy_from_user(current->space, tmp, buf, n);	/* checked above */
		console_write(tmp, n);
		buf += n;
		len -= n;
	}
	return FLUKE_SUCCESS;
}

/* Calls so far, waits included (each wake runs the call again): the METRIC
 * console-read that shutdown emits lets a test tell sleeping from polling. */
static uint32_t console_reads;

/* Waits while no input is waiting: sleeps until console_intr sees some, then
 * runs again from its unchanged registers (a stopped and resumed reader simply
 * reads again); a pending interrupt ends the wait with minus FLUKE_INTERRUPTED. */
int sys_console_read(uint32_t buf, uint32_t len)
{
	char tmp[CHUNK];
	uint32_t n = 0;
	int c;
	if (!roottask_owns(current))
		return -FLUKE_NOT_PERMITTED;
	console_reads++;
	/* buf must take a chunk before any input is taken from the console. */
	if (uaccess_check(current->space, buf, len < CHUNK ? len : CHUNK, FLUKE_PROT_WRITE) < 0)
		return -FLUKE_BAD_ADDRESS;
	while (n < len && n < CHUNK && (c = console_getc()) >= 0)
		tmp[n++] = c;
	if (n == 0 && len > 0) {
		if (thread_take_interrupt())
			return -FLUKE_INTERRUPTED;
		console_wait();
		return syscall_restart(current->tf);
	}
	copy_to_user(current->space, buf, tmp, n);	/* checked above */
	return n;
}

int sys_test_record(uint32_t line, uint32_t len)
{
	char tmp[256];
	if (len >= sizeof(tmp))
		return FLUKE_INVALID_ARGUMENT;
	if (copy_from_user(current->space, tmp, line, len) < 0)
		return FLUKE_BAD_ADDRESS;
	return record_emit_user(tmp, len) < 0 ? FLUKE_INVALID_ARGUMENT : FLUKE_SUCCESS;
}

int sys_debug_shutdown(int status)
{
	if (!roottask_owns(current))
		return FLUKE_NOT_PERMITTED;
	record_emit("METRIC", "console-read calls=%u", (unsigned)console_reads);
	record_end(status == 0 ? END_OK : END_TASK_FAILED);
}
