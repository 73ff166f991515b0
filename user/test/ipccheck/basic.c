/*
 * Calls without a connection, one-way messages (delivery, truncation, no
 * receiver), idempotent calls (reply, a second reply ignored) and both with
 * params or buffers that are not accessible.
 */
#include <string.h>
#include <fluke/ref.h>
#include <fluke/syscalls.h>
#include "ipccheck.h"

static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t port_ref;

/* What the server thread saw last. */
static volatile int got, last_rc, extra_reply_rc;
static uint32_t last_alias, last_bytes;
static char srv_buf[16];
static char reply_buf[16];

/* Serve one-way and idempotent messages; an idempotent request "n" gets "n+1",
 * answered twice (the second reply must be ignored). */
static void server(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	uint32_t alias;
	extra_reply_rc = fluke_ipc_reply(&p);	/* no request pending: ignored */
	for (;;) {
		params(&p, 0, 0, srv_buf, 4);
		last_rc = fluke_ipc_wait_receive(&pset, &p, &alias);
		last_alias = alias;
		last_bytes = p.bytes_received;
		if (last_rc == FLUKE_IPC_RECV_IDEMPOTENT) {
			uint32_t n;
			memcpy(&n, srv_buf, 4);
			n++;
			memcpy(reply_buf, &n, 4);
			params(&p, reply_buf, 4, 0, 0);
			fluke_ipc_reply(&p);
			n = 0xdead;
			memcpy(reply_buf, &n, 4);
			params(&p, reply_buf, 4, 0, 0);
			extra_reply_rc = fluke_ipc_reply(&p);
		}
		got++;
	}
}

static void no_connection(void)
{
	const char *t = "ipc-no-connection";
	fluke_ipc_params_t p;
	char b[4];
	test_record("BEGIN", "%s", t);
	params(&p, b, 4, b, 4);
	CHECK(t, fluke_ipc_client_send(&p) == FLUKE_IPC_SEND_DISCONNECTED);
	CHECK(t, fluke_ipc_server_receive(&p) == FLUKE_IPC_RECV_DISCONNECTED);
	CHECK(t, fluke_ipc_client_over_receive(&p) == FLUKE_IPC_OVER_DISCONNECTED);
	CHECK(t, fluke_ipc_server_ack_send(&p) == FLUKE_IPC_ACK_DISCONNECTED);
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, fluke_ipc_client_alert() == FLUKE_IPC_NOT_CONNECTED);
	CHECK(t, fluke_ipc_alert(3) == FLUKE_INVALID_ARGUMENT);
	/* Ops words that are no call: no high half, two kinds, CONNECT on a server. */
	CHECK(t, fluke_ipc(FLUKE_IPC_CLIENT | FLUKE_IPC_SEND, 0, &p, 0) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_ipc(FLUKE_IPC_OPS(FLUKE_IPC_CLIENT | FLUKE_IPC_SERVER | FLUKE_IPC_SEND), 0,
			   &p, 0) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_ipc(FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_CONNECT), &port_ref, &p, 0) ==
		 FLUKE_INVALID_ARGUMENT);
	/* A null port reference. */
	fluke_ref_t null_ref;
	CHECK(t, fluke_ref_create(&null_ref) == 0);
	CHECK(t, fluke_ipc_send(&null_ref, &p) == FLUKE_IPC_INVALID_DEST);
	CHECK(t, fluke_ipc_call(&null_ref, &p) == FLUKE_IPC_INVALID_DEST);
	CHECK(t, fluke_ref_destroy(&null_ref) == 0);
	test_record("PASS", "%s", t);
}

static void oneway(void)
{
	const char *t = "ipc-oneway";
	fluke_ipc_params_t p;
	test_record("BEGIN", "%s", t);
	params(&p, "hello, world", 12, 0, 0);
	CHECK(t, fluke_ipc_send(&port_ref, &p) == FLUKE_IPC_NO_RECEIVER);	/* nobody waits */
	CHECK(t, start(0, server) == 0);
	test_settle();
	int before = got;
	CHECK(t, fluke_ipc_send(&port_ref, &p) == FLUKE_SUCCESS);
	CHECK(t, wait_until(&got, before + 1));
	/* Truncated to the server's 4-byte buffer, with the port's alias. */
	CHECK(t, last_rc == FLUKE_IPC_RECV_ONEWAY && last_alias == 0x77 && last_bytes == 4);
	CHECK(t, memcmp(srv_buf, "hell", 4) == 0);
	CHECK(t, p.send.bytes == 12);	/* a one-way send leaves the sender's params alone */
	test_record("PASS", "%s", t);
}

static void idempotent(void)
{
	const char *t = "ipc-idempotent";
	fluke_ipc_params_t p;
	uint32_t req = 41, rep = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, extra_reply_rc == FLUKE_SUCCESS);
	for (int i = 0; i < 3; i++, req += 10) {
		test_settle();
		params(&p, &req, 4, &rep, 4);
		CHECK(t, fluke_ipc_call(&port_ref, &p) == FLUKE_SUCCESS);
		CHECK(t, rep == req + 1 && p.bytes_received == 4);
		test_settle();
		CHECK(t, last_rc == FLUKE_IPC_RECV_IDEMPOTENT && extra_reply_rc == FLUKE_SUCCESS);
	}
	test_record("PASS", "%s", t);
}

/*
 * ipc-bad-params: an idempotent call or a one-way send whose params, send buffer
 * or reply buffer is not accessible returns FLUKE_BAD_ADDRESS at once, whether a
 * server waits or not: the kernel checks the whole message before it delivers
 * or waits, so nothing reaches the server and nothing waits forever.
 */
#define BAD ((void *)0x10)		/* page 0 is never mapped */
#define CALL_OPS FLUKE_IPC_OPS(FLUKE_IPC_CALL_STEPS)
#define SEND_OPS FLUKE_IPC_OPS(FLUKE_IPC_ONEWAY | FLUKE_IPC_SEND)

static uint32_t bad_ops;
static void *bad_at;
static volatile int bad_rc, bad_done;

static void bad_caller(int self)
{
	(void)self;
	bad_rc = fluke_ipc(bad_ops, &port_ref, bad_at, 0);
	bad_done = 1;
	for (;;)
		fluke_thread_yield();
}

/* The result of the call ops with params at `at`, made by threads[1]; -1 if it was
 * still waiting after a long while (then threads[1] is destroyed, ending it). */
static int call_waits(uint32_t ops, void *at)
{
	bad_ops = ops;
	bad_at = at;
	bad_done = 0;
	if (start(1, bad_caller) != 0)
		return -2;
	int done = wait_until(&bad_done, 1);
	stop(1);
	return done ? bad_rc : -1;
}

static void bad_params(void)
{
	const char *t = "ipc-bad-params";
	fluke_ipc_params_t bad_send, bad_recv, read_only_recv;
	uint32_t word = 5, out;
	test_record("BEGIN", "%s", t);
	params(&bad_send, BAD, 4, &out, 4);
	params(&bad_recv, &word, 4, BAD, 4);
	params(&read_only_recv, &word, 4, (void *)bad_params, 4);	/* program text */
	/* A server waits: nothing reaches it. */
	test_settle();
	int before = got;
	CHECK(t, fluke_ipc(CALL_OPS, &port_ref, BAD, 0) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(CALL_OPS, &port_ref, &bad_send, 0) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(CALL_OPS, &port_ref, &bad_recv, 0) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(CALL_OPS, &port_ref, &read_only_recv, 0) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(SEND_OPS, &port_ref, BAD, 0) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(SEND_OPS, &port_ref, &bad_send, 0) == FLUKE_BAD_ADDRESS);
	test_settle();
	CHECK(t, got == before);
	/* No server waits: the same calls neither wait nor report NO_RECEIVER. */
	stop(0);
	int call_params = call_waits(CALL_OPS, BAD);
	int call_send = call_waits(CALL_OPS, &bad_send);
	int call_recv = call_waits(CALL_OPS, &read_only_recv);
	int send_params = call_waits(SEND_OPS, BAD);
	int send_buf = call_waits(SEND_OPS, &bad_send);
	int send_ok = fluke_ipc(SEND_OPS, &port_ref, &bad_recv, 0);	/* its receive buffer is unused */
	CHECK(t, start(0, server) == 0);
	CHECK(t, call_params == FLUKE_BAD_ADDRESS && call_send == FLUKE_BAD_ADDRESS &&
		 call_recv == FLUKE_BAD_ADDRESS);
	CHECK(t, send_params == FLUKE_BAD_ADDRESS && send_buf == FLUKE_BAD_ADDRESS);
	CHECK(t, send_ok == FLUKE_IPC_NO_RECEIVER);
	test_record("PASS", "%s", t);
}

void basic_checks(void)
{
	fluke_port_state_t st = { 0, 0x77 };
	fluke_ref_t pset_ref;
	if (fluke_pset_create(&pset) || fluke_port_create(&port) || fluke_ref_create(&port_ref) ||
	    fluke_ref_create(&pset_ref) || fluke_pset_reference(&pset, &pset_ref) ||
	    fluke_port_set_state(&port, &st, &pset_ref) || fluke_port_reference(&port, &port_ref)) {
		test_record("FAIL", "ipc-basic setup");
		test_failures++;
		return;
	}
	no_connection();
	oneway();
	idempotent();
	bad_params();
	stop(0);
	fluke_port_destroy(&port);
	fluke_pset_destroy(&pset);
	fluke_ref_destroy(&port_ref);
	fluke_ref_destroy(&pset_ref);
}
