/* Program exit. The first task stops the machine; a child reports its status to
 * its parent (the Parent protocol), which ends it, after a record of how long it
 * ran (METRIC prog-run name=NAME status=N tsc=N, from _start: make bench reads it). */
#include <stdlib.h>
#include <stdio.h>
#include <assert.h>
#include <fluke/parent.h>
#include <fluke/start.h>
#include <fluke/mutex.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>
#include <fluke/tsc.h>

void exit(int status)
{
	fluke_mutex_t lock;	/* this thread's own, on its stack */
	fluke_cond_t never;
	if (fluke_parent()) {
		test_record("METRIC", "prog-run name=%s status=%d tsc=%llu",
			    fluke_start_name ? fluke_start_name : "-", status,
			    (unsigned long long)(fluke_rdtsc() - fluke_start_tsc));
		fluke_parent_exit(status);
	}
	else
		fluke_debug_shutdown(status);
	/* The parent ends the process while it handles EXIT, so the call comes back
	 * only if nobody could answer it. Sleep for good rather than run on. */
	fluke_mutex_create(&lock);
	fluke_cond_create(&never);
	fluke_mutex_lock(&lock);
	for (;;)
		fluke_cond_wait(&never, &lock);
}

void assert_failed(const char *cond, const char *file, int line)
{
	printf("assertion failed: %s at %s:%d\n", cond, file, line);
	exit(134);
}
