/*
 * ipc-rpc-sequence: the client/server sequence of handouts/api.md 8.6, step by
 * step. A reliable receive ends only at the sender's OVER: after connect_send the
 * server still waits; the client's OVER completes it. The server answers with
 * ACK SEND and, to keep the connection, OVER RECEIVE; the client ACKs and sends a
 * second request; the server's ACK SEND WAIT_RECEIVE answers it and ends the
 * connection, which the client's receive reports as RECV_DISCONNECTED.
 */
#include <string.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include "ipccheck.h"

static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref, pset_ref;
static char srv_buf[16];
static volatile int step, rc1, rc2;

/* Answers "ping" with "pong" and then "ping2" with "pong2", then waits again. */
static void server(int unused)
{
	fluke_ipc_params_t p;
	(void)unused;
	params(&p, 0, 0, srv_buf, sizeof(srv_buf));
	rc1 = fluke_ipc_setup_wait_receive(&pset, &p, 0);
	step = 1;
	params(&p, "pong", 4, 0, 0);
	fluke_ipc_server_ack_send(&p);
	params(&p, 0, 0, srv_buf, sizeof(srv_buf));
	rc2 = fluke_ipc_server_over_receive(&p);	/* the second request */
	step = 2;
	params(&p, "pong2", 5, srv_buf, sizeof(srv_buf));
	fluke_ipc_server_ack_send_wait_receive(&pset, &p, 0);
	step = 3;		/* not reached: no third client */
	for (;;)
		fluke_thread_yield();
}

void sequence_checks(void)
{
	const char *t = "ipc-rpc-sequence";
	fluke_ipc_params_t p;
	char reply[16];
	test_record("BEGIN", "%s", t);
	CHECK(t, make_port(&pset, &port, &port_ref, &pset_ref, 4) == 0);
	CHECK(t, start(0, server) == 0);
	test_settle();
	params(&p, "ping", 4, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	test_settle();
	CHECK(t, step == 0 && memcmp(srv_buf, "ping", 4) == 0);	/* arrived, still waiting */
	memset(reply, 0, sizeof(reply));
	params(&p, 0, 0, reply, sizeof(reply));
	CHECK(t, fluke_ipc_client_over_receive(&p) == FLUKE_SUCCESS);	/* ends at its OVER */
	CHECK(t, rc1 == FLUKE_SUCCESS && step == 1);
	CHECK(t, p.bytes_received == 4 && memcmp(reply, "pong", 4) == 0);
	params(&p, "ping2", 5, 0, 0);
	CHECK(t, fluke_ipc_client_ack_send(&p) == FLUKE_SUCCESS);
	memset(reply, 0, sizeof(reply));
	params(&p, 0, 0, reply, sizeof(reply));
	CHECK(t, fluke_ipc_client_over_receive(&p) == FLUKE_IPC_RECV_DISCONNECTED);
	CHECK(t, rc2 == FLUKE_SUCCESS && step == 2 && memcmp(srv_buf, "ping2", 5) == 0);
	CHECK(t, p.bytes_received == 5 && memcmp(reply, "pong2", 5) == 0);
	stop(0);
	CHECK(t, fluke_port_destroy(&port) == 0 && fluke_pset_destroy(&pset) == 0 &&
		 fluke_ref_destroy(&port_ref) == 0 && fluke_ref_destroy(&pset_ref) == 0);
	test_record("PASS", "%s", t);
}
