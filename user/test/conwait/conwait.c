/*
 * conwait: while one thread waits in a Console READ for a key, another thread of
 * the same program gets MemPool and FileSystem service from the same parent, and
 * says so; then the program prints the key it read and exits 0. A monitor that
 * served on one thread would leave the second thread waiting for the key too.
 *
 * The worker runs one priority below the other threads, so it starts only once
 * every thread of the machine above that priority waits: the reader's READ has
 * reached the server that answers it, and that server waits for input. Then
 * main stops the reader there and resumes it, so the READ is sent again while
 * the server's first thread still waits for input: the key must still reach the
 * reader, once.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/console.h>
#include <fluke/fs.h>
#include <fluke/mempool.h>
#include <fluke/mutex.h>
#include <fluke/pages.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define STACK_SIZE	8192
#define ROUNDS		4

static fluke_thread_t reader_thread, worker_thread;
static fluke_mutex_t lock;		/* guards started, key and answered */
static fluke_cond_t changed;		/* one of them has been set */
static fluke_ref_t region;
static struct fluke_rpc reader_rpc;	/* the reader's own exchange: the stubs share one */
static char reader_stack[STACK_SIZE] __attribute__((aligned(16)));
static char worker_stack[STACK_SIZE] __attribute__((aligned(16)));
static int started;			/* the worker runs: the reader's READ waits */
static int key = -1;			/* the byte read; -1 until then */
static int answered = -1;		/* the worker's count of answers; -1 until done */

static void set(int *var, int value)
{
	fluke_mutex_lock(&lock);
	*var = value;
	fluke_cond_broadcast(&changed);
	fluke_mutex_unlock(&lock);
}

/* Sleep until *var is no longer unset. */
static void wait_until(int *var, int unset)
{
	fluke_mutex_lock(&lock);
	while (*var == unset)
		fluke_cond_wait(&changed, &lock);
	fluke_mutex_unlock(&lock);
}

static void reader(void *arg)
{
	char c;
	uint32_t got;
	(void)arg;
	int rc = fluke_console_get_on(&reader_rpc, &c, 1, &got);
	set(&key, rc == FLUKE_SUCCESS && got == 1 ? (unsigned char)c : 0);
	fluke_thread_destroy(&reader_thread);
}

/* MemPool GET and PUT, FileSystem OPEN and READ (of this program's own file),
 * ROUNDS times; count the good answers. */
static void worker(void *arg)
{
	const char *self = arg;
	char magic[4];
	uint32_t handle, got;
	int n = 0;
	set(&started, 1);
	for (int i = 0; i < ROUNDS; i++) {
		if (fluke_mempool_get(FLUKE_PAGE_SIZE, &region) == FLUKE_SUCCESS)
			n += 1 + (fluke_mempool_put(&region) == FLUKE_SUCCESS);
		if (fluke_fs_open(self, &handle) == FLUKE_SUCCESS)
			n += 1 + (fluke_fs_read(handle, 0, magic, 4, &got) == FLUKE_SUCCESS &&
				  got == 4 && memcmp(magic, "\177ELF", 4) == 0);
	}
	printf("conwait: %d of %d MemPool and FileSystem requests answered while a Console "
	       "READ waits\n", n, 4 * ROUNDS);
	set(&answered, n);
	fluke_thread_destroy(&worker_thread);
}

int main(int argc, char **argv)
{
	(void)argc;
	const fluke_ref_t *console = fluke_service(FLUKE_SVC_CONSOLE);	/* asked now, once */
	fluke_mutex_create(&lock);
	fluke_cond_create(&changed);
	fluke_ref_create(&region);
	fluke_rpc_init(&reader_rpc);
	if (!console ||
	    fluke_thread_start(&reader_thread, reader, 0, reader_stack, STACK_SIZE,
			       FLUKE_PRIO_DEFAULT) != FLUKE_SUCCESS ||
	    fluke_thread_start(&worker_thread, worker, argv[0], worker_stack, STACK_SIZE,
			       FLUKE_PRIO_DEFAULT - 1) != FLUKE_SUCCESS) {
		printf("conwait: cannot start my threads\n");
		return 1;
	}
	wait_until(&started, 0);
	int resent = test_stop_resume(&reader_thread);	/* it sends its READ again */
	if (!resent)
		printf("conwait: the reader was not waiting in its READ\n");
	wait_until(&key, -1);
	wait_until(&answered, -1);
	printf("conwait: read '%c'\n", key);
	return resent && answered == 4 * ROUNDS ? 0 : 1;
}
