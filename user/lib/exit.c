/* Program exit. The first task stops the machine; a child reports its status to
 * its parent (the Parent protocol), which ends it. */
#include <stdlib.h>
#include <stdio.h>
#include <assert.h>
#include <fluke/parent.h>
#include <fluke/start.h>
#include <fluke/syscalls.h>

void exit(int status)
{
	if (fluke_parent())
		fluke_parent_exit(status);
	else
		fluke_debug_shutdown(status);
	for (;;)
		fluke_thread_yield();
}

void assert_failed(const char *cond, const char *file, int line)
{
	printf("assertion failed: %s at %s:%d\n", cond, file, line);
	exit(134);
}
