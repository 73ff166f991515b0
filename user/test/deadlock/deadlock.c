/*
 * deadlock MODE: threads that block for good, or seem to and do not, for the kernel's
 * deadlock report (handouts/boot.md section 4: IDLE, DEADLOCK, BLOCKED).
 *   mutex    main holds mutex a and wants b; its second thread holds b and wants a.
 *   receive  main waits to receive on a port set no port sends to; the second thread
 *            makes a reliable call to a port of another set, which no server serves.
 *   sleep    no deadlock: main holds a mutex the second thread waits for, and sleeps
 *            (spins, yielding) for 3 timer ticks of time-stamp counts before it lets
 *            go; then the second thread signals main's condition and main exits 0.
 * The deadlocked modes print what they are about to do and never return.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/ipc.h>
#include <fluke/mutex.h>
#include <fluke/start.h>
#include <fluke/test.h>
#include <fluke/thread.h>
#include <fluke/tsc.h>

#define STACK_SIZE	8192
#define SLEEP_COUNTS	(3 * 10000000ull)	/* 3 ticks at 100 Hz under -icount shift=0 */

static fluke_thread_t second;
static char second_stack[STACK_SIZE] __attribute__((aligned(16)));
static fluke_mutex_t a, b;
static fluke_cond_t woke;
static fluke_pset_t quiet_set, unserved_set;
static fluke_port_t unserved;
static fluke_ref_t unserved_ref, unserved_set_ref;
static int done;

static void hold_b_want_a(void *arg)
{
	(void)arg;
	fluke_mutex_lock(&b);
	fluke_mutex_lock(&a);		/* main holds a: waits for good */
}

static void call_unserved(void *arg)
{
	static uint32_t word;
	fluke_ipc_params_t p;
	(void)arg;
	memset(&p, 0, sizeof(p));
	p.send.ptr = &word;
	p.send.bytes = sizeof(word);
	fluke_ipc_client_connect_send(&unserved_ref, &p);	/* no server: waits for good */
}

static void wait_for_a(void *arg)
{
	(void)arg;
	fluke_mutex_lock(&a);		/* main sleeps holding a */
	fluke_mutex_unlock(&a);
	fluke_mutex_lock(&b);
	done = 1;
	fluke_cond_signal(&woke);
	fluke_mutex_unlock(&b);
	fluke_thread_destroy(&second);
}

static int start_second(void (*fn)(void *))
{
	if (fluke_thread_start(&second, fn, 0, second_stack, STACK_SIZE, FLUKE_PRIO_DEFAULT) != 0) {
		printf("deadlock: cannot start my second thread\n");
		return -1;
	}
	return 0;
}

static int mutexes(void)
{
	fluke_mutex_lock(&a);
	if (start_second(hold_b_want_a) < 0)
		return 1;
	test_settle();			/* the second thread takes b and waits for a */
	printf("deadlock: main holds a and locks b, held by the thread that waits for a\n");
	fluke_mutex_lock(&b);
	return 1;
}

static int receive(void)
{
	fluke_port_state_t st = { 0, 0x51 };
	fluke_ipc_params_t p;
	uint32_t word, alias;
	if (fluke_pset_create(&quiet_set) || fluke_pset_create(&unserved_set) ||
	    fluke_port_create(&unserved) || fluke_ref_create(&unserved_ref) ||
	    fluke_ref_create(&unserved_set_ref) ||
	    fluke_pset_reference(&unserved_set, &unserved_set_ref) ||
	    fluke_port_set_state(&unserved, &st, &unserved_set_ref) ||
	    fluke_port_reference(&unserved, &unserved_ref) || start_second(call_unserved) < 0) {
		printf("deadlock: cannot make my ports\n");
		return 1;
	}
	test_settle();			/* the second thread waits for a server */
	printf("deadlock: main waits to receive on a port set no port sends to\n");
	memset(&p, 0, sizeof(p));
	p.recv.ptr = &word;
	p.recv.bytes = sizeof(word);
	fluke_ipc_wait_receive(&quiet_set, &p, &alias);
	return 1;
}

static int sleep_holding(void)
{
	fluke_mutex_lock(&a);
	if (start_second(wait_for_a) < 0)
		return 1;
	test_settle();			/* the second thread waits for a */
	uint64_t until = fluke_rdtsc() + SLEEP_COUNTS;
	while (fluke_rdtsc() < until)
		fluke_thread_yield();
	fluke_mutex_unlock(&a);
	fluke_mutex_lock(&b);
	while (!done)
		fluke_cond_wait(&woke, &b);	/* main waits too: only the second thread runs */
	fluke_mutex_unlock(&b);
	printf("deadlock: sleep: the second thread ran after main slept\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	fluke_mutex_create(&a);
	fluke_mutex_create(&b);
	fluke_cond_create(&woke);
	if (strcmp(mode, "mutex") == 0)
		return mutexes();
	if (strcmp(mode, "receive") == 0)
		return receive();
	if (strcmp(mode, "sleep") == 0)
		return sleep_holding();
	printf("deadlock: usage: deadlock mutex|receive|sleep\n");
	return 2;
}
