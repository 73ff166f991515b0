/*
 * ipc-long-transfer-yields: the kernel is not preempted, so a long reliable
 * message must not move in one stretch. A receiver waits with a 32 MiB buffer; the
 * main thread pushes 32 MiB in one call, while a thread of the same priority that
 * watches the time-stamp counter is runnable. The transfer stops at each timer
 * tick (its progress is in both params) and the call runs again after the watcher
 * has had its turn: the watcher never waits for more than a turn, much less than
 * the whole call, and the message still arrives whole.
 */
#include <stdlib.h>
#include <string.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/tsc.h>
#include "ipccheck.h"

#define LONG (32u << 20)

static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref, pset_ref;
static uint8_t *buf;
static volatile int received, watching;
static volatile uint32_t got_bytes;
static volatile uint64_t longest_wait;	/* the watcher's longest time off the CPU */

static void receiver(int unused)
{
	fluke_ipc_params_t p;
	uint32_t alias;
	(void)unused;
	params(&p, 0, 0, buf, LONG);
	fluke_ipc_wait_receive(&pset, &p, &alias);	/* ends at the client's disconnect */
	got_bytes = p.bytes_received;
	received = 1;
	for (;;)
		fluke_thread_yield();
}

static void watcher(int unused)
{
	uint64_t last = fluke_rdtsc();
	(void)unused;
	for (;;) {
		uint64_t now = fluke_rdtsc();
		if (watching && now - last > longest_wait)
			longest_wait = now - last;
		last = now;
	}
}

void preempt_checks(void)
{
	const char *t = "ipc-long-transfer-yields";
	fluke_port_state_t ps = { 0, 3 };
	fluke_ipc_params_t p;
	test_record("BEGIN", "%s", t);
	buf = malloc(LONG);
	CHECK(t, buf != 0);
	for (uint32_t i = 0; i < LONG; i += 4096)
		buf[i] = (uint8_t)(i >> 12);
	CHECK(t, fluke_pset_create(&pset) == 0 && fluke_port_create(&port) == 0 &&
		 fluke_ref_create(&port_ref) == 0 && fluke_ref_create(&pset_ref) == 0 &&
		 fluke_pset_reference(&pset, &pset_ref) == 0 &&
		 fluke_port_set_state(&port, &ps, &pset_ref) == 0 &&
		 fluke_port_reference(&port, &port_ref) == 0);
	CHECK(t, start(0, receiver) == 0);
	test_settle();				/* it waits in its receive */
	CHECK(t, start(1, watcher) == 0);
	fluke_thread_yield();			/* it runs */
	params(&p, buf, LONG, 0, 0);		/* sent onto itself: the same pages */
	watching = 1;
	uint64_t start_tsc = fluke_rdtsc();
	int rc = fluke_ipc_client_connect_send(&port_ref, &p);
	uint64_t call = fluke_rdtsc() - start_tsc;
	watching = 0;
	stop(1);
	CHECK(t, rc == FLUKE_SUCCESS);
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, wait_until(&received, 1));
	test_record("INFO", "the call took %llu counts; the watcher waited %llu at most; %u bytes "
		    "arrived", (unsigned long long)call, (unsigned long long)longest_wait, got_bytes);
	CHECK(t, longest_wait > 0 && longest_wait < call / 2 && got_bytes == LONG);
	for (uint32_t i = 0; i < LONG; i += 4096)
		CHECK(t, buf[i] == (uint8_t)(i >> 12));
	stop(0);
	CHECK(t, fluke_port_destroy(&port) == 0 && fluke_pset_destroy(&pset) == 0 &&
		 fluke_ref_destroy(&port_ref) == 0 && fluke_ref_destroy(&pset_ref) == 0);
	free(buf);
	test_record("PASS", "%s", t);
}
