/*
 * memreturn [N]: memory goes back to the pool when the program that got it
 * exits. It runs memtest 64 N times (default 10), one after the other, each a
 * child of its parent (spawn), and after each asks MemPool STAT how much the
 * pool has free: after the last run it must be what it was after the first (the
 * first may leave what the monitors allocate once, such as a server thread).
 * Under nest:direct the memtests get their regions straight from the root, which
 * only the nest sees end: the test that it tells the root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <fluke/mempool.h>
#include <fluke/pages.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

static void mempool_return(int runs)
{
	const char *t = "mempool-return";
	char *args[] = { "memtest", "64", 0 };
	uint32_t granted, free, first = 0;
	test_record("BEGIN", "%s", t);
	for (int i = 0; i < runs; i++) {
		int status, pid = spawn(2, args);
		CHECK(t, pid > 0 && spawn_wait(pid, &status) == 0 && status == 0);
		CHECK(t, fluke_mempool_stat(&granted, &free) == FLUKE_SUCCESS);
		if (i == 0)
			first = free;
	}
	printf("memreturn: %d runs of memtest 64; the pool has %d pages less after the last than "
	       "after the first\n", runs, (int)(first - free) / (int)FLUKE_PAGE_SIZE);
	CHECK(t, free == first);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	mempool_return(argc > 1 ? atoi(argv[1]) : 10);
	return test_failures != 0;
}
