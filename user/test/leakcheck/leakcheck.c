/*
 * leakcheck [N]: nothing a process leaves behind stays. It spawns true and
 * waits for it N times (default 1000) through its process manager's waitpid,
 * and compares the kernel's counters (fluke_vm_stats: free pool pages, live
 * objects, the small-object allocator's pages and bytes) and its MemPool's
 * free bytes after the last run with those after the first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fluke/mempool.h>
#include <fluke/space.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

static void leak(int runs)
{
	const char *t = "pm-leak";
	char *args[] = { "true", 0 };
	fluke_vm_stats_t first, now;
	uint32_t granted, free0 = 0, free;
	test_record("BEGIN", "%s", t);
	for (int i = 0; i < runs; i++) {
		int status, pid = spawn(1, args);
		CHECK(t, pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
		CHECK(t, fluke_mempool_stat(&granted, &free) == 0);
		if (i == 0) {
			fluke_vm_stats(&first);
			free0 = free;
		}
	}
	fluke_vm_stats(&now);
	printf("leakcheck: %d runs of true; after the last the kernel has %d free pages and "
	       "%d live objects more than after the first, the pool %d bytes more\n", runs,
	       (int)(now.free_pages - first.free_pages),
	       (int)(now.live_objects - first.live_objects), (int)(free - free0));
	CHECK(t, now.free_pages == first.free_pages && now.live_objects == first.live_objects &&
		 free == free0);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	leak(argc > 1 ? atoi(argv[1]) : 1000);
	return test_failures != 0;
}
