/*
 * The code the child runs in space C. It uses only its stack and its region (the
 * struct child every entry point is given) and makes system calls inline: no
 * globals, no read-only data, no library calls (C maps only the program text).
 * Its output is deterministic however its threads interleave, and however often
 * the waiter wakes (a stopped condition wait resumes as a spurious wakeup).
 */
#include "ckpt.h"

/* Count this thread finished (the last one sets OUT_DONE), then end it. */
static void __attribute__((noreturn)) finish(struct child *d, int self)
{
	fluke_mutex_lock(&d->mutex);
	if (++d->finished == NTHREADS)
		d->out[OUT_DONE] = DONE;
	fluke_mutex_unlock(&d->mutex);
	fluke_thread_destroy(&d->thread[self]);	/* a thread may end itself: no return */
	__builtin_unreachable();
}

/* Blocked in a reliable receive (wait_receive on the port set) until the
 * computing thread connects, late, and sends REQ_BYTES; answers with one word. */
void child_server(struct child *d)
{
	fluke_ipc_params_t p = { .recv = { d->inbox, REQ_BYTES } };
	uint32_t alias = 0, sum = 0;
	int rc = fluke_ipc_setup_wait_receive(&d->pset, &p, &alias);
	for (uint32_t i = 0; i < REQ_BYTES; i++)
		sum = sum * 31 + d->inbox[i];
	d->out[OUT_SERVER_RC] = (uint32_t)rc;
	d->out[OUT_ALIAS] = alias;
	d->out[OUT_BYTES] = p.bytes_received;
	d->out[OUT_INBOX_SUM] = sum;
	uint32_t reply = ~sum;
	p = (fluke_ipc_params_t){ .send = { &reply, sizeof(reply) } };
	fluke_ipc_server_ack_send(&p);
	fluke_ipc_server_disconnect();
	finish(d, T_SERVER);
}

/* Waits on the condition until the computing thread sets ready. */
void child_waiter(struct child *d)
{
	fluke_mutex_lock(&d->mutex);
	while (!d->ready)
		fluke_cond_wait(&d->cond, &d->mutex);
	d->out[OUT_WAITER] = d->out[OUT_SUM] * 2654435761u + 1;
	fluke_mutex_unlock(&d->mutex);
	finish(d, T_WAITER);
}

/* A long checksum, then it signals the waiter and makes an RPC to the server. */
void child_compute(struct child *d)
{
	uint32_t x = 1, sum = 0;
	for (uint32_t i = 1; i <= ROUNDS; i++) {
		x = x * 1664525u + 1013904223u;
		sum = (sum << 5 | sum >> 27) ^ x;
		if (i % PROGRESS_EVERY == 0)
			d->progress = i;
	}
	d->out[OUT_SUM] = sum;
	fluke_mutex_lock(&d->mutex);
	d->ready = 1;
	fluke_cond_signal(&d->cond);
	fluke_mutex_unlock(&d->mutex);

	for (uint32_t i = 0; i < REQ_BYTES; i++) {
		x = x * 1664525u + 1013904223u;
		d->request[i] = (uint8_t)(x >> 24);
	}
	uint32_t reply = 0;
	fluke_ipc_params_t p = { .send = { d->request, REQ_BYTES }, .recv = { &reply, sizeof(reply) } };
	d->out[OUT_CLIENT_RC] = (uint32_t)fluke_ipc_client_connect_send_over_receive(&d->port_ref, &p);
	d->out[OUT_REPLY] = reply;
	finish(d, T_COMPUTE);
}
