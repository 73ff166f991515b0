/* ipccheck's main and the thread harness (ipccheck.h). */
#include <stdio.h>
#include <string.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/syscalls.h>
#include "ipccheck.h"

#define STACK_SIZE 8192
#define PATIENCE 100000

fluke_thread_t threads[NTHREADS];
static fluke_ref_t self_space;
static uint8_t stacks[NTHREADS][STACK_SIZE] __attribute__((aligned(16)));

int start(int i, void (*fn)(int))
{
	uint32_t *sp = (uint32_t *)(stacks[i] + STACK_SIZE) - 4;
	sp[0] = 0;		/* fn's return address: it never returns */
	sp[1] = (uint32_t)i;	/* its argument */
	fluke_thread_state_t st;
	memset(&st, 0, sizeof(st));
	st.priority = FLUKE_PRIO_DEFAULT;
	st.eip = (uint32_t)fn;
	st.esp = (uint32_t)sp;
	if (fluke_thread_create(&threads[i]) != 0)
		return -1;
	return fluke_thread_set_state(&threads[i], &st, &self_space, NULL);
}

const fluke_ref_t *space_ref(void)
{
	return &self_space;
}

void stop(int i)
{
	fluke_thread_destroy(&threads[i]);
}

int wait_until(volatile int *v, int n)
{
	for (int i = 0; i < PATIENCE && *v < n; i++)
		fluke_thread_yield();
	return *v >= n;
}

void params(fluke_ipc_params_t *p, const void *send, uint32_t send_bytes, void *recv,
	    uint32_t recv_bytes)
{
	memset(p, 0, sizeof(*p));
	p->send.ptr = (void *)send;
	p->send.bytes = send_bytes;
	p->recv.ptr = recv;
	p->recv.bytes = recv_bytes;
}

int make_port(fluke_pset_t *pset, fluke_port_t *port, fluke_ref_t *port_ref,
	      fluke_ref_t *pset_ref, uint32_t alias)
{
	fluke_port_state_t st = { 0, alias };
	return fluke_pset_create(pset) || fluke_port_create(port) || fluke_ref_create(port_ref) ||
	       fluke_ref_create(pset_ref) || fluke_pset_reference(pset, pset_ref) ||
	       fluke_port_set_state(port, &st, pset_ref) || fluke_port_reference(port, port_ref);
}

int main(void)
{
	if (fluke_ref_create(&self_space) || fluke_space_self(&self_space)) {
		test_record("FAIL", "ipccheck setup");
		return 1;
	}
	basic_checks();
	reliable_checks();
	sequence_checks();
	restart_checks();
	stopped_checks();
	forward_checks();
	stress_checks();
	preempt_checks();
	printf("ipccheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
