/*
 * protocheck: Console, MemPool and FileSystem requests under resends
 * (handouts/overview.md, "Resends"). A client stopped and resumed in the middle
 * of an idempotent call sends its request again; what the request does must
 * happen once, and the answer be the same. Each test either sends the client
 * exchange's last request again itself (-resend), or makes the call in a thread
 * of its own that main stops and resumes while it waits in that call (-stopped).
 *   console-write-resend, -stopped  a WRITE: its line appears once (the grader
 *                                   counts the lines)
 *   mempool-get-resend, -stopped    a GET: one region, and the pool counts it once
 *                                   (MemPool STAT: the bytes granted to this
 *                                   program)
 *   mempool-put-resend, -stopped    a PUT: FLUKE_SUCCESS, and nothing is left granted
 *   fs-stopped                      OPEN, READ, STAT and LIST, each stopped and
 *                                   resumed: the same answers as unstopped
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
#define BYTES		(4 * FLUKE_PAGE_SIZE)	/* each GET's */

static fluke_thread_t worker_thread;
static fluke_mutex_t lock;		/* the worker's, to sleep with */
static fluke_cond_t never;		/* signalled by nobody */
static fluke_ref_t region;
static char worker_stack[STACK_SIZE] __attribute__((aligned(16)));
static void (*work)(void);		/* what the worker calls */
static volatile int done;		/* work has returned */
static const char *self;		/* this program's file */

/* Send the client exchange's last request to service again, as a resumed client
 * would. */
static int resend(uint32_t service)
{
	return fluke_rpc_call(fluke_service(service), fluke_client_rpc());
}

/* The bytes the MemPool has granted this program; ~0 if it does not say. */
static uint32_t granted(void)
{
	uint32_t bytes, free;
	return fluke_mempool_stat(&bytes, &free) == FLUKE_SUCCESS ? bytes : ~0u;
}

static void worker(void *arg)
{
	(void)arg;
	work();
	done = 1;
	fluke_mutex_lock(&lock);
	for (;;)			/* until main destroys this thread */
		fluke_cond_wait(&never, &lock);
}

/* Call fn in the worker thread while this thread stops the worker and resumes it
 * until it finds it waiting inside a call (test_stop_resume) or fn has returned;
 * wait for fn to return. Returns whether the worker was found in a call, which
 * it then sent again. */
static int run_stopped(void (*fn)(void))
{
	int caught = 0;
	work = fn;
	done = 0;
	if (fluke_thread_start(&worker_thread, worker, 0, worker_stack, STACK_SIZE,
			       FLUKE_PRIO_DEFAULT) != FLUKE_SUCCESS)
		return 0;
	while (!done) {
		if (!caught)
			caught = test_stop_resume(&worker_thread);
		fluke_thread_yield();
	}
	fluke_thread_destroy(&worker_thread);
	return caught;
}

static int rc;				/* the worker's call's */

static void write_stopped_line(void)
{
	const char *line = "protocheck: written once (stopped)\n";
	rc = fluke_console_put(line, strlen(line));
}

static void console_write(void)
{
	const char *t = "console-write-resend", *line = "protocheck: written once (resent)\n";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_console_put(line, strlen(line)) == FLUKE_SUCCESS);
	CHECK(t, resend(FLUKE_SVC_CONSOLE) == FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
	t = "console-write-stopped";
	test_record("BEGIN", "%s", t);
	CHECK(t, run_stopped(write_stopped_line));	/* else the test proved nothing */
	CHECK(t, rc == FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
}

static void get_region(void)
{
	rc = fluke_mempool_get(BYTES, &region);
}

static void put_region(void)
{
	rc = fluke_mempool_put(&region);
}

static uint32_t before;			/* bytes granted before a GET test */

static void get_resend(void)
{
	const char *t = "mempool-get-resend";
	struct fluke_rpc *rpc = fluke_client_rpc();
	test_record("BEGIN", "%s", t);
	before = granted();
	CHECK(t, before != ~0u);
	CHECK(t, fluke_mempool_get(BYTES, &region) == FLUKE_SUCCESS);
	CHECK(t, resend(FLUKE_SVC_MEMPOOL) == FLUKE_SUCCESS);
	CHECK(t, rpc->in_refs == 1 && fluke_ref_compare(&rpc->in_ref, &region));
	CHECK(t, granted() == before + BYTES);
	test_record("PASS", "%s", t);
}

static void put_resend(void)
{
	const char *t = "mempool-put-resend";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mempool_put(&region) == FLUKE_SUCCESS);
	CHECK(t, resend(FLUKE_SVC_MEMPOOL) == FLUKE_SUCCESS);
	CHECK(t, granted() == before);
	test_record("PASS", "%s", t);
}

static void get_stopped(void)
{
	const char *t = "mempool-get-stopped";
	test_record("BEGIN", "%s", t);
	before = granted();
	CHECK(t, before != ~0u);
	CHECK(t, run_stopped(get_region));
	CHECK(t, rc == FLUKE_SUCCESS);
	CHECK(t, granted() == before + BYTES);
	test_record("PASS", "%s", t);
}

static void put_stopped(void)
{
	const char *t = "mempool-put-stopped";
	test_record("BEGIN", "%s", t);
	CHECK(t, run_stopped(put_region));
	CHECK(t, rc == FLUKE_SUCCESS);
	CHECK(t, granted() == before);
	test_record("PASS", "%s", t);
}

/* FileSystem op fs_op (0 OPEN this program's file, 1 READ 64 bytes of it at 64,
 * 2 STAT it, 3 LIST entry 0), its answer in fs_answer. */
static struct fs_answer {
	int rc;
	uint32_t word, got;
	char data[64];
} fs_answer;
static int fs_op;
static uint32_t fs_handle;

static void fs_call(void)
{
	struct fs_answer *a = &fs_answer;
	memset(a, 0, sizeof(*a));
	switch (fs_op) {
	case 0:
		a->rc = fluke_fs_open(self, &a->word);
		break;
	case 1:
		a->rc = fluke_fs_read(fs_handle, 64, a->data, sizeof(a->data), &a->got);
		break;
	case 2:
		a->rc = fluke_fs_stat(fs_handle, &a->word);
		break;
	default:
		a->rc = fluke_fs_list(0, a->data, &a->word);
	}
}

static void fs_stopped(void)
{
	const char *t = "fs-stopped";
	struct fs_answer plain;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_fs_open(self, &fs_handle) == FLUKE_SUCCESS);
	for (fs_op = 0; fs_op < 4; fs_op++) {
		fs_call();
		plain = fs_answer;
		CHECK(t, plain.rc == FLUKE_SUCCESS);
		CHECK(t, run_stopped(fs_call));
		CHECK(t, memcmp(&plain, &fs_answer, sizeof(plain)) == 0);
	}
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	(void)argc;
	self = argv[0];
	fluke_mutex_create(&lock);
	fluke_cond_create(&never);
	fluke_ref_create(&region);
	/* Ask for the services now: the worker's calls must be the ones tested. */
	if (!fluke_service(FLUKE_SVC_CONSOLE) || !fluke_service(FLUKE_SVC_MEMPOOL) ||
	    !fluke_service(FLUKE_SVC_FS)) {
		printf("protocheck: my parent does not serve Console, MemPool and FileSystem\n");
		return 1;
	}
	console_write();
	get_resend();
	put_resend();
	get_stopped();
	put_stopped();
	fs_stopped();
	printf("protocheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
