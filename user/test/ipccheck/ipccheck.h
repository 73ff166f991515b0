/*
 * ipccheck: IPC between threads of the first task (handouts/api.md, "IPC"). Each
 * check emits BEGIN then PASS or FAIL records; the null RPC cost is a METRIC.
 * This header holds what the check files share: CHECK, thread starting, waiting.
 */
#ifndef IPCCHECK_H
#define IPCCHECK_H

#include <stdint.h>
#include <fluke/ipc.h>
#include <fluke/port.h>
#include <fluke/thread.h>
#include <fluke/test.h>

#define NTHREADS 8

extern fluke_thread_t threads[NTHREADS];

/* Start threads[i] running fn(i) in this space on its own stack; 0 on success. */
int start(int i, void (*fn)(int));
/* Destroy threads[i]. */
void stop(int i);
/* A port set and a port delivering to it with alias, and a reference to each: 0, or
 * nonzero if a call failed. */
int make_port(fluke_pset_t *pset, fluke_port_t *port, fluke_ref_t *port_ref,
	      fluke_ref_t *pset_ref, uint32_t alias);
/* A reference to this program's space. */
const fluke_ref_t *space_ref(void);
/* Yield until *v reaches at least n; 0 if it does not within a long while. */
int wait_until(volatile int *v, int n);
/* params with one send buffer and one receive buffer (either may be NULL, 0). */
void params(fluke_ipc_params_t *p, const void *send, uint32_t send_bytes, void *recv,
	    uint32_t recv_bytes);

/* The checks, by file. */
void basic_checks(void);	/* basic.c: errors, one-way, idempotent */
void reliable_checks(void);	/* reliable.c: echo, references, moves, disconnects, alerts */
void restart_checks(void);	/* restart.c: a receiver stopped mid-message */
void stress_checks(void);	/* stress.c: many clients and servers; null RPC cost */
void preempt_checks(void);	/* preempt.c: a long message does not hold the CPU */
void sequence_checks(void);	/* sequence.c: the RPC sequence of api.md 8.6 */
void stopped_checks(void);	/* stopped.c: a stopped thread's IPC makes no progress */
void forward_checks(void);	/* forward.c: fluke_ipc_forward */

#endif
