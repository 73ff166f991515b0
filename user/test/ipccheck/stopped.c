/*
 * A stopped thread's IPC makes no progress until it is resumed (handouts/api.md
 * §8.4), in both directions, which is what a checkpointer relies on: it stops the
 * threads, then copies their memory, and the picture must not change under it.
 *
 * ipc-stopped-receiver: a receiver waits with part of a message received; it is
 * stopped, and the sender sends the rest. While the sender runs, the receiver's
 * buffer and params stay as they were; the sender waits (no error, no timeout)
 * and can itself be stopped and resumed; once the receiver is resumed the message
 * completes, every byte right.
 * ipc-stopped-sender: the mirror case. A sender waits with part of its message
 * taken; it is stopped, and the receiver asks for the rest, piece by piece. While
 * the receiver runs, neither params nor the receive buffer change; resumed, the
 * sender's message completes.
 * ipc-stopped-client: the connection's direction, which the client's state
 * exports, does not change while the client is stopped (see stopped_client).
 */
#include <stdlib.h>
#include <string.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include "ipccheck.h"

#define LEN 65536
#define PART 20000
#define PIECE 8192

static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref, pset_ref;
static uint8_t *msg, *got;
static fluke_ipc_params_t srv, cli;	/* the receiver's and the sender's params */
static volatile int recv_rc, send_rc, recv_done, send_done, go;
static volatile uint32_t recv_total;	/* ipc-stopped-sender: bytes received so far */

static int started;		/* threads[i] for the bits i set: destroyed after each check */

static int run(int i, void (*fn)(int))
{
	started |= 1 << i;
	return start(i, fn);
}

static void reset(void)
{
	memset(got, 0, LEN);
	recv_done = send_done = go = 0;
	recv_rc = send_rc = -1;
	recv_total = 0;
}

/* Receive the whole message in one call. */
static void whole_receiver(int unused)
{
	(void)unused;
	params(&srv, 0, 0, got, LEN);
	recv_rc = fluke_ipc_wait_receive(&pset, &srv, 0);
	recv_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* Receive the message PIECE bytes a call, waiting for `go` after the first. */
static void piece_receiver(int unused)
{
	(void)unused;
	params(&srv, 0, 0, got, PIECE);
	int rc = fluke_ipc_wait_receive(&pset, &srv, 0);
	recv_total = srv.bytes_received;
	while (!go)
		fluke_thread_yield();
	while (rc == FLUKE_IPC_RECV_MORE_DATA && recv_total < LEN) {
		params(&srv, 0, 0, got + recv_total, PIECE);
		rc = fluke_ipc_server_receive(&srv);
		recv_total += srv.bytes_received;
	}
	recv_rc = rc;
	recv_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* Send the whole message in one call, then disconnect. */
static void sender(int unused)
{
	(void)unused;
	params(&cli, msg, LEN, 0, 0);
	int rc = fluke_ipc_client_connect_send(&port_ref, &cli);
	fluke_ipc_client_disconnect();
	send_rc = rc;
	send_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* Send PART bytes on a new connection, wait for `go`, then send the rest. */
static void patient_sender(int unused)
{
	(void)unused;
	params(&cli, msg, PART, 0, 0);
	int rc = fluke_ipc_client_connect_send(&port_ref, &cli);
	while (!go)
		fluke_thread_yield();
	params(&cli, msg + PART, LEN - PART, 0, 0);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_ipc_client_send(&cli);
	fluke_ipc_client_disconnect();
	send_rc = rc;
	send_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* Whether every byte of got from `from` on is still 0 (nothing arrived there). */
static int untouched(uint32_t from)
{
	for (uint32_t k = from; k < LEN; k++)
		if (got[k])
			return 0;
	return 1;
}

/* Stop threads[i] and check it is waiting in a reliable call of the given side at
 * the given step, its waiting_for link naming threads[peer]; resume it. */
static int stop_waiting(int i, int peer, uint32_t side_step)
{
	fluke_thread_state_t st;
	fluke_ref_t waiting, other;
	int ok = fluke_ref_create(&waiting) == 0 && fluke_ref_create(&other) == 0 &&
		 fluke_thread_reference(&threads[peer], &other) == 0 &&
		 fluke_thread_get_state(&threads[i], &st, 0, 0, &waiting, 0, 0) == 0 &&
		 (st.ebx & 0xffff) == side_step && fluke_ref_compare(&waiting, &other) == 1 &&
		 ((uint8_t *)st.eip)[0] == 0xcd && ((uint8_t *)st.eip)[1] == 0x40;
	st.flags &= ~FLUKE_THREAD_STOPPED;
	ok = ok && fluke_thread_set_state(&threads[i], &st, 0, 0) == 0;
	fluke_ref_destroy(&waiting);
	fluke_ref_destroy(&other);
	return ok;
}

static void stopped_receiver(void)
{
	const char *t = "ipc-stopped-receiver";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	reset();
	CHECK(t, run(0, whole_receiver) == 0);
	test_settle();				/* it waits in its receive */
	CHECK(t, run(1, patient_sender) == 0);
	test_settle();				/* PART bytes are across; the sender waits for go */
	CHECK(t, fluke_thread_get_state(&threads[0], &st, 0, 0, 0, 0, 0) == 0);
	fluke_ipc_params_t seen = srv;
	uint32_t n = seen.bytes_received;
	CHECK(t, n == PART && seen.recv.ptr == got + n && seen.recv.bytes == LEN - n);
	/* The sender goes on: the stopped receiver gets nothing more. */
	go = 1;
	test_settle();
	test_settle();
	CHECK(t, memcmp(&seen, &srv, sizeof(seen)) == 0);
	CHECK(t, untouched(n));
	CHECK(t, cli.send.ptr == msg + n && cli.send.bytes == LEN - n);	/* nothing moved */
	CHECK(t, !send_done);			/* it waits: no error, no timeout */
	/* The waiting sender can itself be stopped and resumed, and still waits. */
	CHECK(t, stop_waiting(1, 0, FLUKE_IPC_CLIENT | FLUKE_IPC_SEND));
	test_settle();
	CHECK(t, memcmp(&seen, &srv, sizeof(seen)) == 0 && untouched(n) && !send_done);
	/* Resumed, the receiver takes the rest. */
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[0], &st, 0, 0) == 0);
	CHECK(t, wait_until(&recv_done, 1) && wait_until(&send_done, 1));
	CHECK(t, send_rc == FLUKE_SUCCESS && recv_rc == FLUKE_IPC_RECV_DISCONNECTED);
	CHECK(t, srv.bytes_received == LEN && memcmp(msg, got, LEN) == 0);
	test_record("PASS", "%s", t);
}

static void stopped_sender(void)
{
	const char *t = "ipc-stopped-sender";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	reset();
	CHECK(t, run(0, piece_receiver) == 0);
	test_settle();
	CHECK(t, run(1, sender) == 0);
	test_settle();				/* a piece is across; the receiver waits for go */
	CHECK(t, recv_total == PIECE);
	CHECK(t, fluke_thread_get_state(&threads[1], &st, 0, 0, 0, 0, 0) == 0);
	uint32_t n = recv_total, sent = LEN - cli.send.bytes;
	fluke_ipc_params_t seen = cli;
	CHECK(t, sent == PIECE && seen.send.ptr == msg + sent);
	/* The receiver goes on: it pulls nothing from the stopped sender. */
	go = 1;
	test_settle();
	test_settle();
	CHECK(t, memcmp(&seen, &cli, sizeof(seen)) == 0);
	CHECK(t, !recv_done && recv_total == n && untouched(sent));
	/* The waiting receiver can itself be stopped and resumed, and still waits. */
	CHECK(t, stop_waiting(0, 1, FLUKE_IPC_SERVER | FLUKE_IPC_RECEIVE));
	test_settle();
	CHECK(t, memcmp(&seen, &cli, sizeof(seen)) == 0 && !recv_done && untouched(sent));
	/* Resumed, the sender sends the rest. */
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[1], &st, 0, 0) == 0);
	CHECK(t, wait_until(&recv_done, 1) && wait_until(&send_done, 1));
	CHECK(t, send_rc == FLUKE_SUCCESS && recv_rc == FLUKE_IPC_RECV_DISCONNECTED);
	CHECK(t, recv_total == LEN && memcmp(msg, got, LEN) == 0);
	test_record("PASS", "%s", t);
}

/* ipc-stopped-client: serves one RPC in steps, each when main says go. */
static uint8_t request[PART];
static volatile int ack_rc, over_rc;

static void rpc_server(int unused)
{
	(void)unused;
	params(&srv, 0, 0, request, PART);
	recv_rc = fluke_ipc_wait_receive(&pset, &srv, 0);	/* the request, up to its OVER */
	while (go < 1)
		fluke_thread_yield();
	params(&srv, msg, PART, 0, 0);
	ack_rc = fluke_ipc_server_ack_send(&srv);
	while (go < 2)
		fluke_thread_yield();
	over_rc = fluke_ipc(FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_OVER), 0, 0, 0);
	recv_done = 1;
	for (;;)
		fluke_thread_yield();
}

static void rpc_client(int unused)
{
	(void)unused;
	params(&cli, msg + LEN - PART, PART, got, LEN);
	send_rc = fluke_ipc_client_connect_send_over_receive(&port_ref, &cli);
	send_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* threads[i]'s flags, stopping it; ~0u if get_state failed. */
static uint32_t flags_of(int i, fluke_thread_state_t *st)
{
	return fluke_thread_get_state(&threads[i], st, 0, 0, 0, 0, 0) == 0 ? st->flags : ~0u;
}

static int resume(int i, fluke_thread_state_t *st)
{
	st->flags &= ~FLUKE_THREAD_STOPPED;
	return fluke_thread_set_state(&threads[i], st, 0, 0) == 0;
}

/*
 * ipc-stopped-client: the direction of a connection is part of its client's
 * state (FLUKE_THREAD_CLIENT_RECEIVES, _UNACKED), so while the client is stopped
 * the server's ACK and OVER wait for it, as its SEND does: a checkpointer reads
 * the same client state however long it takes to stop the server.
 */
static void stopped_client(void)
{
	const char *t = "ipc-stopped-client";
	const uint32_t dir = FLUKE_THREAD_CLIENT_RECEIVES | FLUKE_THREAD_CLIENT_UNACKED;
	fluke_thread_state_t cst, sst;
	test_record("BEGIN", "%s", t);
	reset();
	ack_rc = over_rc = -1;
	CHECK(t, run(0, rpc_server) == 0);
	test_settle();
	CHECK(t, run(1, rpc_client) == 0);
	test_settle();			/* the request is across; the client waits for the reply */
	CHECK(t, recv_rc == FLUKE_SUCCESS && srv.bytes_received == PART);
	CHECK(t, (flags_of(1, &cst) & dir) == dir);	/* stopped, the server not yet its sender */
	go = 1;				/* the server's ACK waits for the client */
	test_settle();
	CHECK(t, (flags_of(1, &cst) & dir) == dir && ack_rc == -1);
	CHECK(t, stop_waiting(0, 1, FLUKE_IPC_SERVER | FLUKE_IPC_ACK | FLUKE_IPC_SEND));
	CHECK(t, resume(1, &cst));	/* the reply comes; the client's receive goes on */
	CHECK(t, wait_until(&ack_rc, 0) && ack_rc == FLUKE_SUCCESS);
	test_settle();
	CHECK(t, (flags_of(1, &cst) & dir) == FLUKE_THREAD_CLIENT_RECEIVES);
	CHECK(t, cli.bytes_received == PART && !send_done);
	go = 2;				/* the server's OVER waits for the client */
	test_settle();
	CHECK(t, (flags_of(1, &cst) & dir) == FLUKE_THREAD_CLIENT_RECEIVES && over_rc == -1);
	CHECK(t, stop_waiting(0, 1, FLUKE_IPC_SERVER | FLUKE_IPC_OVER));
	CHECK(t, flags_of(0, &sst) != ~0u && resume(0, &sst));	/* the server stopped too, */
	CHECK(t, resume(1, &cst));					/* the client first */
	CHECK(t, wait_until(&send_done, 1) && wait_until(&recv_done, 1));
	CHECK(t, send_rc == FLUKE_SUCCESS && over_rc == FLUKE_SUCCESS);
	CHECK(t, cli.bytes_received == PART && memcmp(got, msg, PART) == 0);
	CHECK(t, memcmp(request, msg + LEN - PART, PART) == 0);
	test_record("PASS", "%s", t);
}

void stopped_checks(void)
{
	msg = malloc(LEN);
	got = malloc(LEN);
	if (!msg || !got || make_port(&pset, &port, &port_ref, &pset_ref, 5)) {
		test_record("FAIL", "ipc-stopped setup");
		test_failures++;
		return;
	}
	for (uint32_t k = 0; k < LEN; k++)
		msg[k] = (uint8_t)(k % 251 + 1);	/* never 0: a 0 in got is a byte not yet arrived */
	void (*checks[])(void) = { stopped_receiver, stopped_sender, stopped_client };
	for (unsigned c = 0; c < sizeof(checks) / sizeof(checks[0]); c++) {
		checks[c]();
		for (int i = 0; i < 2; i++)	/* also after a failed check: the next one starts clean */
			if (started & (1 << i))
				stop(i);
		started = 0;
	}
	fluke_port_destroy(&port);
	fluke_pset_destroy(&pset);
	fluke_ref_destroy(&port_ref);
	fluke_ref_destroy(&pset_ref);
	free(msg);
	free(got);
}
