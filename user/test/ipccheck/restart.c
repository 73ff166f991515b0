/*
 * Restartable IPC: a server stopped (thread_get_state) while it has received part
 * of a reliable message, its registers checked and set back, resumed: the message
 * arrives complete. The same for a client stopped while it has sent part of one.
 * A client and server in the middle of a message, destroyed and rebuilt from their
 * states and connection links, finish it. A client stopped while waiting for an
 * idempotent reply and resumed sends its request again and gets its reply.
 */
#include <string.h>
#include <fluke/ref.h>
#include <fluke/syscalls.h>
#include "ipccheck.h"

#define BIG 100000
#define PART 30000

static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref, pset_ref;
static uint8_t msg[BIG], got_buf[BIG];
static fluke_ipc_params_t srv;		/* the server's params, for the checks */
static volatile int runs, last_rc, requests, go;
static volatile uint32_t last_bytes;

static void big_server(int self)
{
	(void)self;
	for (;;) {
		params(&srv, 0, 0, got_buf, BIG);
		last_rc = fluke_ipc_wait_receive(&pset, &srv, 0);
		last_bytes = srv.bytes_received;
		runs++;
	}
}

static void stop_receiver(void)
{
	const char *t = "ipc-stop-mid-receive";
	fluke_ipc_params_t p;
	fluke_thread_state_t st;
	fluke_ref_t server_link, waiting, me;
	test_record("BEGIN", "%s", t);
	for (uint32_t k = 0; k < BIG; k++)
		msg[k] = (uint8_t)(k * 13 + 5);
	CHECK(t, fluke_ref_create(&server_link) == 0 && fluke_ref_create(&me) == 0 &&
		 fluke_ref_create(&waiting) == 0);
	CHECK(t, fluke_thread_self(&me) == 0);
	CHECK(t, start(0, big_server) == 0);
	test_settle();
	params(&p, msg, PART, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	/* The server waits with part of the message: stop it there. */
	CHECK(t, fluke_thread_get_state(&threads[0], &st, 0, 0, &waiting, 0, &server_link) == 0);
	CHECK(t, (st.ebx & 0xffff) == (FLUKE_IPC_SERVER | FLUKE_IPC_RECEIVE));
	CHECK(t, st.ebx >> 16 == (FLUKE_IPC_SERVER | FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE));
	CHECK(t, ((uint8_t *)st.eip)[0] == 0xcd && ((uint8_t *)st.eip)[1] == 0x40);
	CHECK(t, st.edx == (uint32_t)&srv && srv.bytes_received == PART);
	CHECK(t, srv.recv.ptr == got_buf + PART && srv.recv.bytes == BIG - PART);
	CHECK(t, fluke_ref_type(&server_link) == FLUKE_TYPE_THREAD);
	CHECK(t, fluke_ref_compare(&server_link, &me) == 1 && fluke_ref_compare(&waiting, &me) == 1);
	CHECK(t, runs == 0);
	/* Set the same state back and let it run: it receives the rest. */
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[0], &st, 0, 0) == 0);
	test_settle();
	CHECK(t, runs == 0);
	fluke_ipc_buf_t rest = { msg + PART + 1000, BIG - PART - 1000 };
	params(&p, msg + PART, 1000, 0, 0);
	p.send_tab = &rest;
	p.send_tab_count = 1;
	CHECK(t, fluke_ipc_client_send(&p) == FLUKE_SUCCESS);
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, wait_until(&runs, 1));
	CHECK(t, last_rc == FLUKE_IPC_RECV_DISCONNECTED && last_bytes == BIG);
	CHECK(t, memcmp(msg, got_buf, BIG) == 0);
	stop(0);
	fluke_ref_destroy(&server_link);
	fluke_ref_destroy(&waiting);
	fluke_ref_destroy(&me);
	test_record("PASS", "%s", t);
}

static fluke_ipc_params_t cli;		/* the sending client's params */
static volatile int sent_rc = -1;

static void big_client(int self)
{
	(void)self;
	params(&cli, msg, BIG, 0, 0);
	int rc = fluke_ipc_client_connect_send(&port_ref, &cli);
	fluke_ipc_client_disconnect();
	sent_rc = rc;
	for (;;)
		fluke_thread_yield();
}

static void stop_sender(void)
{
	const char *t = "ipc-stop-mid-send";
	fluke_ipc_params_t p;
	fluke_thread_state_t st;
	uint32_t total = 0, chunk = 10000;
	test_record("BEGIN", "%s", t);
	memset(got_buf, 0, BIG);
	sent_rc = -1;
	CHECK(t, start(0, big_client) == 0);
	params(&p, 0, 0, got_buf, chunk);
	CHECK(t, fluke_ipc_wait_receive(&pset, &p, 0) == FLUKE_IPC_RECV_MORE_DATA);
	CHECK(t, p.bytes_received == chunk);
	/* The client waits with part of its message sent: stop it there. */
	CHECK(t, fluke_thread_get_state(&threads[0], &st, 0, 0, 0, 0, 0) == 0);
	CHECK(t, (st.ebx & 0xffff) == (FLUKE_IPC_CLIENT | FLUKE_IPC_SEND));
	CHECK(t, st.ebx >> 16 == (FLUKE_IPC_CLIENT | FLUKE_IPC_CONNECT | FLUKE_IPC_SEND));
	CHECK(t, cli.send.ptr == msg + chunk && cli.send.bytes == BIG - chunk);
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[0], &st, 0, 0) == 0);
	int rc = FLUKE_IPC_RECV_MORE_DATA;
	for (total = chunk; rc == FLUKE_IPC_RECV_MORE_DATA && total < BIG; total += p.bytes_received) {
		params(&p, 0, 0, got_buf + total, BIG - total < chunk ? BIG - total : chunk);
		rc = fluke_ipc_server_receive(&p);
	}
	CHECK(t, rc == FLUKE_IPC_RECV_DISCONNECTED && total == BIG);
	CHECK(t, memcmp(msg, got_buf, BIG) == 0);
	CHECK(t, wait_until(&sent_rc, 0) && sent_rc == FLUKE_SUCCESS);
	stop(0);
	test_record("PASS", "%s", t);
}

/* Sends part of a message on a new connection, waits for `go`, sends the rest. */
static void patient_client(int self)
{
	(void)self;
	params(&cli, msg, PART, 0, 0);
	int rc = fluke_ipc_client_connect_send(&port_ref, &cli);
	while (!go)
		fluke_thread_yield();
	fluke_ipc_buf_t rest = { msg + PART + 1000, BIG - PART - 1000 };
	params(&cli, msg + PART, 1000, 0, 0);
	cli.send_tab = &rest;
	cli.send_tab_count = 1;
	if (rc == FLUKE_SUCCESS)
		rc = fluke_ipc_client_send(&cli);
	fluke_ipc_client_disconnect();
	sent_rc = rc;
	for (;;)
		fluke_thread_yield();
}

/*
 * A checkpointer's view of a connection: a client and a server in the middle of
 * a message are stopped, their states and links saved, both threads destroyed
 * (which ends the connection), recreated with the same hashes, and set back with
 * their connection links: the message then completes.
 */
static void restore_connection(void)
{
	const char *t = "ipc-restore-connection";
	fluke_thread_state_t sst, cst;
	fluke_ref_t to_server, to_client, new_server;
	test_record("BEGIN", "%s", t);
	memset(got_buf, 0, BIG);
	runs = 0;
	go = 0;
	sent_rc = -1;
	CHECK(t, fluke_ref_create(&to_server) == 0 && fluke_ref_create(&to_client) == 0 &&
		 fluke_ref_create(&new_server) == 0);
	CHECK(t, start(0, big_server) == 0);
	test_settle();
	CHECK(t, start(1, patient_client) == 0);
	test_settle();				/* PART bytes are across; the client waits for go */
	CHECK(t, srv.bytes_received == PART && runs == 0);
	CHECK(t, fluke_thread_get_state(&threads[0], &sst, 0, 0, 0, 0, &to_client) == 0);
	CHECK(t, fluke_thread_get_state(&threads[1], &cst, 0, 0, 0, &to_server, 0) == 0);
	CHECK(t, fluke_ref_type(&to_client) == FLUKE_TYPE_THREAD);
	CHECK(t, fluke_ref_type(&to_server) == FLUKE_TYPE_THREAD);
	CHECK(t, !(cst.flags & (FLUKE_THREAD_CLIENT_RECEIVES | FLUKE_THREAD_CLIENT_UNACKED)));
	/* Destroy both: the connection is gone with them. */
	CHECK(t, fluke_thread_destroy(&threads[0]) == 0 && fluke_thread_destroy(&threads[1]) == 0);
	CHECK(t, fluke_ref_type(&to_client) == FLUKE_TYPE_NONE);
	/* Rebuild: same addresses and hashes, same registers, the connection relinked. */
	CHECK(t, fluke_thread_create_hash(&threads[0], sst.hash) == 0);
	CHECK(t, fluke_thread_create_hash(&threads[1], cst.hash) == 0);
	CHECK(t, fluke_thread_set_state(&threads[0], &sst, space_ref(), 0) == 0);
	CHECK(t, fluke_thread_reference(&threads[0], &new_server) == 0);
	CHECK(t, fluke_thread_set_state_ipc(&threads[1], &cst, space_ref(), 0, &new_server, 0) == 0);
	CHECK(t, fluke_thread_get_state(&threads[0], &sst, 0, 0, 0, 0, &to_client) == 0);
	CHECK(t, fluke_ref_type(&to_client) == FLUKE_TYPE_THREAD);	/* both ends see it */
	sst.flags &= ~FLUKE_THREAD_STOPPED;
	cst.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[0], &sst, 0, 0) == 0);
	CHECK(t, fluke_thread_set_state(&threads[1], &cst, 0, 0) == 0);
	go = 1;
	CHECK(t, wait_until(&runs, 1));
	CHECK(t, last_rc == FLUKE_IPC_RECV_DISCONNECTED && last_bytes == BIG);
	CHECK(t, memcmp(msg, got_buf, BIG) == 0 && sent_rc == FLUKE_SUCCESS);
	stop(0);
	stop(1);
	fluke_ref_destroy(&to_server);
	fluke_ref_destroy(&to_client);
	fluke_ref_destroy(&new_server);
	test_record("PASS", "%s", t);
}

/* Takes a request, holds it until told to go, then replies and waits again. */
static void slow_server(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	uint32_t in = 0, out;
	params(&p, 0, 0, &in, 4);
	int rc = fluke_ipc_wait_receive(&pset, &p, 0);
	for (;;) {
		if (rc == FLUKE_IPC_RECV_IDEMPOTENT)
			requests++;
		wait_until(&go, 1);
		out = in * 2;
		params(&p, &out, 4, &in, 4);
		rc = fluke_ipc_reply_wait_receive(&pset, &p, 0);
	}
}

static volatile int client_rc = -1;
static volatile uint32_t client_reply;

static void idem_client(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	uint32_t req = 21, rep = 0;
	params(&p, &req, 4, &rep, 4);
	client_rc = fluke_ipc_call(&port_ref, &p);
	client_reply = rep;
	for (;;)
		fluke_thread_yield();
}

static void stop_idempotent_client(void)
{
	const char *t = "ipc-stop-idempotent-client";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	requests = 0;
	go = 0;
	CHECK(t, start(0, slow_server) == 0);
	test_settle();
	CHECK(t, start(1, idem_client) == 0);
	CHECK(t, wait_until(&requests, 1));
	test_settle();
	CHECK(t, fluke_thread_get_state(&threads[1], &st, 0, 0, 0, 0, 0) == 0);
	/* An idempotent call never changes its registers: it is all resent. */
	CHECK(t, (st.ebx & 0xffff) == st.ebx >> 16 && client_rc == -1);
	st.flags &= ~FLUKE_THREAD_STOPPED;
	CHECK(t, fluke_thread_set_state(&threads[1], &st, 0, 0) == 0);
	test_settle();
	go = 1;		/* the reply to the first request finds nobody waiting */
	CHECK(t, wait_until(&client_rc, 0));
	CHECK(t, client_rc == FLUKE_SUCCESS && client_reply == 42 && requests == 2);
	stop(1);
	stop(0);
	test_record("PASS", "%s", t);
}

void restart_checks(void)
{
	fluke_port_state_t st = { 0, 1 };
	if (fluke_pset_create(&pset) || fluke_port_create(&port) || fluke_ref_create(&port_ref) ||
	    fluke_ref_create(&pset_ref) || fluke_pset_reference(&pset, &pset_ref) ||
	    fluke_port_set_state(&port, &st, &pset_ref) || fluke_port_reference(&port, &port_ref)) {
		test_record("FAIL", "ipc-restart setup");
		test_failures++;
		return;
	}
	stop_receiver();
	stop_sender();
	restore_connection();
	stop_idempotent_client();
	fluke_port_destroy(&port);
	fluke_pset_destroy(&pset);
	fluke_ref_destroy(&port_ref);
	fluke_ref_destroy(&pset_ref);
}
