/*
 * The debugger's test subject (monitors/debug, grade/lab4.py): small enough that
 * every line GDB steps over is known.
 *   dbgprog          sums scaled numbers and prints "dbgprog: total=T scale=S
 *                    counter=C" (T=60 S=3 C=20 untouched); GDB's `set var scale = N`
 *                    changes T and S
 *   dbgprog threads  starts two more threads, stops in all_started() with all
 *                    three alive, and prints "dbgprog: 3 threads done"
 *   dbgprog fault    stores through a bad pointer at bad_store()
 *   dbgprog spin     spins until a debugger sets spinning to 0, then prints
 *                    "dbgprog: stopped spinning"
 *   dbgprog hog [N]  takes N pages (default 64) from the pool in two GETs of
 *                    N/2 and writes each (hogged counts them: over a pager,
 *                    faults it serves), then stores through the bad pointer as
 *                    fault does. Over a pager, both GETs pass while the first
 *                    half is untouched, so N over what it can back is a write
 *                    of hog_store's it refuses past its frame limit
 */
#include <fluke/start.h>
#include <fluke/pages.h>
#include <fluke/thread.h>
#include <fluke/syscalls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int scale = 3;
int counter;
static volatile int go, finished;
volatile int spinning = 1;
volatile unsigned hogged;
static fluke_thread_t workers[2];
static char stacks[2][4096] __attribute__((aligned(16)));

__attribute__((noinline)) int add(int a, int b)
{
	volatile int scaled = b * scale;
	return a + scaled;
}

static int sum(int n)
{
	int total = 0;
	for (int i = 1; i <= n; i++) {
		total = add(total, i);
		counter++;
	}
	return total;
}

static void worker(void *arg)
{
	fluke_thread_t *self = arg;
	while (!go)
		fluke_thread_yield();
	finished++;
	fluke_thread_destroy(self);
}

__attribute__((noinline)) void all_started(void)
{
	go = 1;
}

__attribute__((noinline)) void bad_store(volatile int *p)
{
	*p = 42;
}

__attribute__((noinline)) void hog_store(volatile char *page)
{
	*page = 1;
}

/* npages pages from the pool in two halves, each written (over a pager, each
 * write a fault it serves, or one it refuses), then the bad store. */
static int hog(uint32_t npages)
{
	uint32_t half = npages / 2;
	char *a = fluke_pages_get(half), *b = a ? fluke_pages_get(npages - half) : 0;
	if (!b) {
		printf("dbgprog: hog has no memory for %u pages\n", npages);
		return 1;
	}
	for (uint32_t i = 0; i < npages; i++) {
		hog_store(i < half ? a + i * FLUKE_PAGE_SIZE : b + (i - half) * FLUKE_PAGE_SIZE);
		hogged++;
	}
	bad_store((volatile int *)0x40000010);
	printf("dbgprog: survived the fault\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "hog") == 0)
		return hog(argc > 2 ? (uint32_t)atoi(argv[2]) : 64);
	if (argc > 1 && strcmp(argv[1], "threads") == 0) {
		for (int i = 0; i < 2; i++)
			fluke_thread_start(&workers[i], worker, &workers[i], stacks[i],
					   sizeof(stacks[i]), FLUKE_PRIO_DEFAULT);
		all_started();
		while (finished < 2)
			fluke_thread_yield();
		printf("dbgprog: 3 threads done\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "fault") == 0) {
		bad_store((volatile int *)0x40000010);
		printf("dbgprog: survived the fault\n");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "spin") == 0) {
		while (spinning)
			;
		printf("dbgprog: stopped spinning\n");
		return 0;
	}
	int total = 0;
	for (int round = 1; round <= 4; round++) {
		total += sum(round);
		counter += round;
	}
	printf("dbgprog: total=%d scale=%d counter=%d\n", total, scale, counter);
	return 0;
}
