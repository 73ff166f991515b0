/* spawn and spawn_wait (<stdlib.h>): through the Parent protocol. */
#include <stdlib.h>
#include <fluke/parent.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>

int spawn(int argc, char **argv)
{
	uint32_t pid;
	int rc = fluke_parent_spawn(argc, argv, &pid);
	return rc == FLUKE_SUCCESS ? (int)pid : -rc;
}

/* The parent's WAIT sleeps until the child ends. Only a parent with no thread to
 * spare answers FLUKE_WOULD_BLOCK (<fluke/parent.h>): then let it catch up and
 * ask again. */
int spawn_wait(int pid, int *status)
{
	int rc;
	while ((rc = fluke_parent_wait(pid, status)) == FLUKE_WOULD_BLOCK)
		fluke_thread_yield();
	return rc == FLUKE_SUCCESS ? 0 : -rc;
}
