/*
 * pmresend: Process requests under resends (handouts/overview.md, "Resends";
 * <fluke/process.h>). A client stopped and resumed inside an idempotent call
 * sends its request again, with the same id; what it does must happen once and
 * the answer be the first's. Each -resend test sends the client exchange's last
 * request again itself; read-stopped makes the call in a thread that main stops
 * and resumes while the manager holds it waiting.
 *   pm-write-resend    a pipe WRITE of one byte sent twice: the pipe holds it once
 *   pm-read-resend     a pipe READ of one byte sent twice: the same byte, and the
 *                      next read gets the next one
 *   pm-pipe-resend     PIPE sent twice: the same two descriptors, no second pipe
 *   pm-open-resend     OPEN sent twice: the same descriptor, no second one
 *   pm-waitpid-resend  WAITPID of any child sent twice, two children ended: the
 *                      same child's pid, and the other is still there to reap
 *   pm-read-stopped    a READ of an empty pipe, its thread stopped and resumed
 *                      while it waits (the manager's first thread still waits as
 *                      the resend comes), then "x" and "y" written: the thread
 *                      gets "x" and a read after it "y" (done twice, one of the
 *                      manager's threads would take a byte nobody gets)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <fluke/parent.h>
#include <fluke/process.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define STACK_SIZE	8192
#define SETTLE		200	/* yields for a resend to reach the manager */

static fluke_thread_t reader_thread;
static struct fluke_rpc reader_rpc;	/* the reader's own exchange: the stubs share one */
static char reader_stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile int reader_fd, reader_err = -1;	/* -1: its call has not returned */

/* Send the client exchange's last request again, as a resumed client would;
 * the errno of the answer. */
static int resend(void)
{
	return fluke_process_call(fluke_client_rpc());
}

static void write_resend(void)
{
	const char *t = "pm-write-resend";
	int p[2];
	char buf[8];
	test_record("BEGIN", "%s", t);
	CHECK(t, pipe(p) == 0 && write(p[1], "a", 1) == 1);
	CHECK(t, resend() == 0 && fluke_client_rpc()->in.arg[0] == 1);
	CHECK(t, close(p[1]) == 0);
	CHECK(t, read(p[0], buf, sizeof(buf)) == 1 && buf[0] == 'a');
	CHECK(t, read(p[0], buf, sizeof(buf)) == 0 && close(p[0]) == 0);
	test_record("PASS", "%s", t);
}

static void read_resend(void)
{
	const char *t = "pm-read-resend";
	struct fluke_rpc *rpc = fluke_client_rpc();
	int p[2];
	char c = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, pipe(p) == 0 && write(p[1], "bc", 2) == 2);
	CHECK(t, read(p[0], &c, 1) == 1 && c == 'b');
	CHECK(t, resend() == 0 && fluke_rpc_in_len(rpc) == 1 && rpc->in.data[0] == 'b');
	CHECK(t, read(p[0], &c, 1) == 1 && c == 'c');
	CHECK(t, close(p[0]) == 0 && close(p[1]) == 0);
	test_record("PASS", "%s", t);
}

static void pipe_resend(void)
{
	const char *t = "pm-pipe-resend";
	struct fluke_rpc *rpc = fluke_client_rpc();
	int p[2], q[2];
	test_record("BEGIN", "%s", t);
	CHECK(t, pipe(p) == 0);
	CHECK(t, resend() == 0 && rpc->in.arg[0] == (uint32_t)p[0] &&
		 rpc->in.arg[1] == (uint32_t)p[1]);
	/* A second pipe would hold the next two descriptors: the next pipe gets them. */
	CHECK(t, pipe(q) == 0 && q[0] == p[1] + 1 && q[1] == p[1] + 2);
	CHECK(t, close(p[0]) == 0 && close(p[1]) == 0 && close(q[0]) == 0 && close(q[1]) == 0);
	test_record("PASS", "%s", t);
}

static void open_resend(void)
{
	const char *t = "pm-open-resend";
	int fd;
	test_record("BEGIN", "%s", t);
	CHECK(t, (fd = open("boot.conf", O_RDONLY)) >= 0);
	CHECK(t, resend() == 0 && fluke_client_rpc()->in.arg[0] == (uint32_t)fd);
	CHECK(t, close(fd) == 0);
	CHECK(t, close(fd + 1) < 0 && errno == EBADF);	/* no second descriptor */
	test_record("PASS", "%s", t);
}

static void waitpid_resend(void)
{
	const char *t = "pm-waitpid-resend";
	char *args[] = { "true", 0 };
	int status = -1, a, b, first;
	test_record("BEGIN", "%s", t);
	CHECK(t, (a = spawn(1, args)) > 0 && (b = spawn(1, args)) > 0);
	CHECK(t, (first = waitpid(-1, &status, 0)) == a || first == b);
	CHECK(t, resend() == 0 && fluke_client_rpc()->in.arg[0] == (uint32_t)first);
	CHECK(t, waitpid(-1, &status, 0) == (first == a ? b : a) && status == 0);
	CHECK(t, waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD);
	test_record("PASS", "%s", t);
}

static void reader(void *arg)
{
	(void)arg;
	fluke_rpc_begin(&reader_rpc, FLUKE_PROCESS_READ);
	reader_rpc.out.arg[0] = reader_fd;
	reader_rpc.out.arg[1] = 1;
	fluke_rpc_stamp(&reader_rpc);
	reader_err = fluke_process_call(&reader_rpc);
	for (;;)			/* until main destroys this thread */
		fluke_thread_yield();
}

static void read_stopped(void)
{
	const char *t = "pm-read-stopped";
	int p[2], caught = 0, i;
	char c = 0;
	test_record("BEGIN", "%s", t);
	fluke_rpc_init(&reader_rpc);
	CHECK(t, pipe(p) == 0);
	reader_fd = p[0];
	CHECK(t, fluke_thread_start(&reader_thread, reader, 0, reader_stack, STACK_SIZE,
				    FLUKE_PRIO_DEFAULT) == FLUKE_SUCCESS);
	for (i = 0; i < 100000 && !caught; i++) {	/* its READ waits in the manager */
		fluke_thread_yield();
		caught = test_stop_resume(&reader_thread);
	}
	CHECK(t, caught);		/* else the test proved nothing */
	for (i = 0; i < SETTLE; i++)	/* the READ sent again reaches the manager */
		fluke_thread_yield();
	CHECK(t, write(p[1], "x", 1) == 1);
	for (i = 0; i < 100 * SETTLE && reader_err < 0; i++)
		fluke_thread_yield();
	CHECK(t, write(p[1], "y", 1) == 1 && close(p[1]) == 0);
	for (i = 0; i < 100 * SETTLE && reader_err < 0; i++)
		fluke_thread_yield();
	printf("pmresend: the stopped reader got %s, the next read %s\n",
	       reader_err < 0 ? "nothing" : reader_err ? "an error"
	       : fluke_rpc_in_len(&reader_rpc) != 1 ? "no byte"
	       : reader_rpc.in.data[0] == 'x' ? "x" : "y",
	       read(p[0], &c, 1) == 1 ? (c == 'y' ? "y" : "x") : "nothing");
	CHECK(t, reader_err == 0 && fluke_rpc_in_len(&reader_rpc) == 1 &&
		 reader_rpc.in.data[0] == 'x' && c == 'y');
	fluke_thread_destroy(&reader_thread);
	CHECK(t, close(p[0]) == 0);
	test_record("PASS", "%s", t);
}

int main(void)
{
	write_resend();
	read_resend();
	pipe_resend();
	open_resend();
	waitpid_resend();
	read_stopped();
	printf("pmresend: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
