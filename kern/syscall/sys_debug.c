/* Bootstrap and test calls: the kernel console, test records, shutdown. */
#include "syscall_decls.h"
#include "thread/thread.h"
#include "vm/uaccess.h"
#include "dev/console.h"
#include "debug/record.h"
#include "init/roottask.h"
#include <fluke/error.h>

#define CHUNK 128

int sys_console_write(uint32_t buf, uint32_t len)
{
	char tmp[CHUNK];
	while (len > 0) {
		uint32_t n = len < CHUNK ? len : CHUNK;
		if (copy_from_user(current->space, tmp, buf, n) < 0)
			return FLUKE_BAD_ADDRESS;
		console_write(tmp, n);
		buf += n;
		len -= n;
	}
	return FLUKE_SUCCESS;
}

/* Never waits, so there is nothing to restart: the root polls. */
int sys_console_read(uint32_t buf, uint32_t len)
{
	char tmp[CHUNK];
	uint32_t n = 0;
	int c;
	if (!roottask_owns(current))
		return -FLUKE_NOT_PERMITTED;
	while (n < len && n < CHUNK && (c = console_getc()) >= 0)
		tmp[n++] = c;
	if (n && copy_to_user(current->space, buf, tmp, n) < 0)
		return -FLUKE_BAD_ADDRESS;
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
	record_end(status == 0 ? END_OK : END_TASK_FAILED);
}
