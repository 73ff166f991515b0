/*
 * ckptwork ROUNDS [AT [KIB [TOUCH [LINES]]]]: the program the checkpointer's tests
 * checkpoint and restore (grade/lab5_ckpt.py), with KIB more KiB of heap
 * written once (the benchmarks' larger image, grade/bench.py); with TOUCH, right
 * after the checkpoint of round AT it writes TOUCH pages of those KIB and asks
 * for a second checkpoint (the incremental test: about TOUCH pages written);
 * with LINES, a fifth thread reads LINES lines from the console, and main prints
 * them, joined by '/', after the last round. Four threads, whose every line of
 * output is the same however they interleave and however often they are
 * stopped:
 *   main     each round: a reliable IPC call to the server (ping-pong), a
 *            broadcast that wakes both counters, a wait on a condition until
 *            both are done, a checksum loop, one line of output; after round
 *            AT it asks the checkpointer for a checkpoint (<fluke/ckpt.h>);
 *   server   waits in a reliable receive for each round's ping and answers it;
 *   counters two threads, each waiting on a condition for the next round, then
 *            adding to a counter under a mutex one increment at a time;
 * and a heap block (MemPool, through malloc) that the rounds write into, so a
 * restore must bring back granted memory and the mapping the child made of it.
 * and, with LINES, the console reader, blocked in a Console READ until input
 * comes. It ends with "ckptwork: done after N rounds" and exit status 0.
 */
#include <fluke/ckpt.h>
#include <fluke/console.h>
#include <fluke/parent.h>
#include <fluke/ipc.h>
#include <fluke/mutex.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <stdio.h>
#include <stdlib.h>

#define STACK		16384
#define COUNTERS	2
#define SPIN		50000u		/* checksum steps a round */
#define HEAP_WORDS	8192u		/* 32 KiB of heap */

static fluke_thread_t server_thread, counter_thread[COUNTERS], reader_thread;
static char stacks[2 + COUNTERS][STACK] __attribute__((aligned(16)));
static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref;
static fluke_mutex_t mutex;
static fluke_cond_t work, finished;
/* Under mutex: the round the counters may do, how many of them finished it,
 * the counter. */
static uint32_t go, done, counter;
static uint32_t rounds;
/* The reader's: its own exchange (the stubs' one is main's), the lines it read,
 * and (under mutex) whether it is done. */
static struct fluke_rpc reader_rpc;
static char input[64];
static uint32_t input_lines, input_len, input_done;

/* Read input_lines lines, one byte at a time, into input (joined by '/'). */
static void reader(void *arg)
{
	(void)arg;
	for (uint32_t l = 0; l < input_lines; l++) {
		if (l && input_len < sizeof(input) - 1)
			input[input_len++] = '/';
		for (;;) {
			char c;
			uint32_t got = 0;
			if (fluke_console_get_on(&reader_rpc, &c, 1, &got) != FLUKE_SUCCESS)
				break;
			if (!got)
				continue;
			if (c == '\r' || c == '\n')
				break;
			if (input_len < sizeof(input) - 1)
				input[input_len++] = c;
		}
	}
	fluke_mutex_lock(&mutex);
	input_done = 1;
	fluke_cond_signal(&finished);
	fluke_mutex_unlock(&mutex);
	fluke_thread_destroy(&reader_thread);
}

/* Each round's ping r gets r * r + 7 back. */
static void server(void *arg)
{
	(void)arg;
	for (uint32_t r = 1; r <= rounds; r++) {
		uint32_t ping = 0, pong;
		fluke_ipc_params_t p = { .recv = { &ping, sizeof(ping) } };
		fluke_ipc_setup_wait_receive(&pset, &p, 0);
		pong = ping * ping + 7;
		p = (fluke_ipc_params_t){ .send = { &pong, sizeof(pong) } };
		fluke_ipc_server_ack_send(&p);
		fluke_ipc_server_disconnect();
	}
	fluke_thread_destroy(&server_thread);
}

/* Round r adds r * 100 to the counter, one at a time. */
static void count(void *arg)
{
	uint32_t self = (uint32_t)arg;
	for (uint32_t r = 1; r <= rounds; r++) {
		fluke_mutex_lock(&mutex);
		while (go < r)
			fluke_cond_wait(&work, &mutex);
		fluke_mutex_unlock(&mutex);
		for (uint32_t i = 0; i < r * 100; i++) {
			fluke_mutex_lock(&mutex);
			counter++;
			fluke_mutex_unlock(&mutex);
		}
		fluke_mutex_lock(&mutex);
		done++;
		fluke_cond_signal(&finished);
		fluke_mutex_unlock(&mutex);
	}
	fluke_thread_destroy(&counter_thread[self]);
}

int main(int argc, char **argv)
{
	rounds = argc > 1 ? (uint32_t)atoi(argv[1]) : 8;
	uint32_t at = argc > 2 ? (uint32_t)atoi(argv[2]) : 0;
	uint32_t ballast = argc > 3 ? (uint32_t)atoi(argv[3]) * 1024 : 0;
	uint32_t touch = argc > 4 ? (uint32_t)atoi(argv[4]) : 0;
	input_lines = argc > 5 ? (uint32_t)atoi(argv[5]) : 0;
	uint32_t *heap = malloc(HEAP_WORDS * sizeof(uint32_t));
	char *more = ballast ? malloc(ballast) : 0;
	if (ballast && !more) {
		printf("ckptwork: no memory for %u more bytes\n", ballast);
		return 1;
	}
	for (uint32_t i = 0; i < ballast; i++)
		more[i] = (char)i;
	fluke_port_state_t ps = { 0, 0x70 };
	if (!heap || fluke_pset_create(&pset) || fluke_port_create(&port) ||
	    fluke_ref_create(&port_ref) || fluke_pset_reference(&pset, &port_ref) ||
	    fluke_port_set_state(&port, &ps, &port_ref) || fluke_port_reference(&port, &port_ref) ||
	    fluke_mutex_create(&mutex) || fluke_cond_create(&work) || fluke_cond_create(&finished)) {
		printf("ckptwork: setup failed\n");
		return 1;
	}
	for (uint32_t i = 0; i < HEAP_WORDS; i++)
		heap[i] = i;
	if (fluke_thread_start(&server_thread, server, 0, stacks[0], STACK, FLUKE_PRIO_DEFAULT))
		return 1;
	for (uint32_t c = 0; c < COUNTERS; c++)
		if (fluke_thread_start(&counter_thread[c], count, (void *)c, stacks[1 + c], STACK,
				       FLUKE_PRIO_DEFAULT))
			return 1;
	if (input_lines) {
		fluke_rpc_init(&reader_rpc);
		fluke_service(FLUKE_SVC_CONSOLE);	/* looked up here, not by two threads */
		if (fluke_thread_start(&reader_thread, reader, 0, stacks[1 + COUNTERS], STACK,
				       FLUKE_PRIO_DEFAULT))
			return 1;
	}
	uint32_t x = 1, sum = 0;
	for (uint32_t r = 1; r <= rounds; r++) {
		uint32_t ping = r, pong = 0;
		fluke_ipc_params_t p = { .send = { &ping, sizeof(ping) }, .recv = { &pong, sizeof(pong) } };
		int rc = fluke_ipc_client_connect_send_over_receive(&port_ref, &p);
		fluke_mutex_lock(&mutex);
		go = r;
		fluke_cond_broadcast(&work);
		while (done < COUNTERS * r)
			fluke_cond_wait(&finished, &mutex);
		uint32_t now = counter;
		fluke_mutex_unlock(&mutex);
		for (uint32_t i = 0; i < SPIN; i++) {
			x = x * 1664525u + 1013904223u;
			heap[x % HEAP_WORDS] += x >> 7;
			sum = (sum << 3 | sum >> 29) ^ heap[(x >> 9) % HEAP_WORDS];
		}
		printf("ckptwork: round %u pong=%u rc=%d counter=%u sum=%08x\n", r, pong, rc, now, sum);
		if (r != at)
			continue;
		fluke_ckpt_request(0);
		if (touch) {
			for (uint32_t p = 0; p < touch && p * 4096 < ballast; p++)
				more[p * 4096] ^= 0x5a;
			fluke_ckpt_request(0);
		}
	}
	if (input_lines) {
		fluke_mutex_lock(&mutex);
		while (!input_done)
			fluke_cond_wait(&finished, &mutex);
		fluke_mutex_unlock(&mutex);
		input[input_len] = '\0';
		printf("ckptwork: read '%s'\n", input);
	}
	printf("ckptwork: done after %u rounds\n", rounds);
	return 0;
}
