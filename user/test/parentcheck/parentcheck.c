/*
 * parentcheck: the Parent protocol under resends (<fluke/parent.h>). A client
 * stopped and resumed in the middle of an idempotent call sends its request
 * again; the answer must be the same, and a SPAWN must not start its program
 * twice. Each child is hello with a word of its own, so the console shows how
 * many times each one ran (the grader wants each line once).
 *   parent-spawn-resend   the same SPAWN message twice: the same pid
 *   parent-wait-resend    the same WAIT message twice: the same status
 *   parent-spawn-stopped  a thread stopped and resumed while it waits in SPAWN
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/mutex.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define STACK_SIZE	8192

/* Send the client exchange's last request again, as a resumed client would. */
static int resend(void)
{
	return fluke_rpc_call(fluke_parent(), fluke_client_rpc());
}

static void spawn_resend(void)
{
	const char *t = "parent-spawn-resend";
	char *argv[] = { "hello", "once", 0 };
	struct fluke_rpc *rpc = fluke_client_rpc();
	uint32_t pid;
	int status;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_parent_spawn(2, argv, &pid) == FLUKE_SUCCESS);
	CHECK(t, resend() == FLUKE_SUCCESS && rpc->in.arg[0] == pid);
	CHECK(t, spawn_wait(pid, &status) == 0 && status == 0);
	test_record("PASS", "%s", t);
}

static void wait_resend(void)
{
	const char *t = "parent-wait-resend";
	char *argv[] = { "hello", "waited", 0 };
	struct fluke_rpc *rpc = fluke_client_rpc();
	uint32_t pid;
	int status = -1;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_parent_spawn(2, argv, &pid) == FLUKE_SUCCESS);
	CHECK(t, spawn_wait(pid, &status) == 0 && status == 0);
	CHECK(t, resend() == FLUKE_SUCCESS && rpc->in.arg[0] == 0);
	test_record("PASS", "%s", t);
}

/* parent-spawn-stopped: the spawner thread calls SPAWN; the stopper stops it
 * and resumes it until it finds it waiting inside that call (test_stop_resume).
 * Each sets its flag when done and sleeps until main, which waits for both,
 * destroys it. */
static fluke_thread_t spawner_thread, stopper_thread;
static fluke_mutex_t lock;		/* guards the flags */
static fluke_cond_t changed;		/* a flag was set */
static char spawner_stack[STACK_SIZE] __attribute__((aligned(16)));
static char stopper_stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile int armed, caught, spawner_done, stopper_done;
static int spawn_rc;
static uint32_t spawn_pid;

static void finish(volatile int *flag)
{
	fluke_mutex_lock(&lock);
	*flag = 1;
	fluke_cond_broadcast(&changed);
	for (;;)
		fluke_cond_wait(&changed, &lock);
}

static void spawner(void *arg)
{
	char *argv[] = { "hello", "stopped", 0 };
	(void)arg;
	armed = 1;
	spawn_rc = fluke_parent_spawn(2, argv, &spawn_pid);
	finish(&spawner_done);
}

static void stopper(void *arg)
{
	(void)arg;
	while (!armed)
		fluke_thread_yield();
	while (!caught && !spawner_done) {
		caught = test_stop_resume(&spawner_thread);
		fluke_thread_yield();
	}
	finish(&stopper_done);
}

static void spawn_stopped(void)
{
	const char *t = "parent-spawn-stopped";
	int status;
	test_record("BEGIN", "%s", t);
	fluke_mutex_create(&lock);
	fluke_cond_create(&changed);
	CHECK(t, fluke_thread_start(&spawner_thread, spawner, 0, spawner_stack, STACK_SIZE,
				    FLUKE_PRIO_DEFAULT) == FLUKE_SUCCESS);
	CHECK(t, fluke_thread_start(&stopper_thread, stopper, 0, stopper_stack, STACK_SIZE,
				    FLUKE_PRIO_DEFAULT) == FLUKE_SUCCESS);
	fluke_mutex_lock(&lock);
	while (!spawner_done || !stopper_done)
		fluke_cond_wait(&changed, &lock);
	fluke_mutex_unlock(&lock);
	fluke_thread_destroy(&spawner_thread);
	fluke_thread_destroy(&stopper_thread);
	CHECK(t, caught);		/* else the test proved nothing */
	CHECK(t, spawn_rc == FLUKE_SUCCESS);
	CHECK(t, spawn_wait(spawn_pid, &status) == 0 && status == 0);
	test_record("PASS", "%s", t);
}

int main(void)
{
	spawn_resend();
	wait_resend();
	spawn_stopped();
	printf("parentcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
