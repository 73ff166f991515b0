/*
 * leakcheck [N]: nothing a process leaves behind stays. It spawns true and
 * waits for it N times (default 1000) through its process manager's waitpid,
 * after WARM runs that let the monitors grow what they keep (server threads),
 * and compares the kernel's live objects and free pages and its MemPool's free
 * bytes after the last run with those before the first: they must be the same
 * (METRIC pm_leak gives the kernel's figures, for make bench's 10,000 runs).
 * It reports the kernel's small-object allocator's pages too (it gives a page
 * back to the pool when the page's last chunk is freed, so those come back as well).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fluke/mempool.h>
#include <fluke/space.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

#define WARM	20

static void leak(int runs)
{
	const char *t = "pm-leak";
	char *args[] = { "true", 0 };
	fluke_vm_stats_t first, now;
	uint32_t granted, free0 = 0, free;
	test_record("BEGIN", "%s", t);
	for (int i = -WARM; i < runs; i++) {
		int status, pid = spawn(1, args);
		CHECK(t, pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
		CHECK(t, fluke_mempool_stat(&granted, &free) == 0);
		if (i == -1) {
			fluke_vm_stats(&first);
			free0 = free;
		}
	}
	fluke_vm_stats(&now);
	printf("leakcheck: %d runs of true; after the last the kernel has %d live objects and "
	       "the pool %d bytes free more than before the first\n", runs,
	       (int)(now.live_objects - first.live_objects), (int)(free - free0));
	printf("leakcheck: and the kernel %d free pages more, its allocator %d pages more\n",
	       (int)(now.free_pages - first.free_pages), (int)(now.kmem_pages - first.kmem_pages));
	test_record("METRIC", "pm_leak leak_runs=%d leak_free_first=%u leak_free_last=%u "
		    "leak_objects_first=%u leak_objects_last=%u leak_kmem_first=%u "
		    "leak_kmem_last=%u", runs, (unsigned)first.free_pages,
		    (unsigned)now.free_pages, (unsigned)first.live_objects,
		    (unsigned)now.live_objects, (unsigned)first.kmem_pages,
		    (unsigned)now.kmem_pages);
	CHECK(t, now.live_objects == first.live_objects && free == free0 &&
		 now.free_pages == first.free_pages);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	leak(argc > 1 ? atoi(argv[1]) : 1000);
	return test_failures != 0;
}
