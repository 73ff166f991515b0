/*
 * ipc-forward: fluke_ipc_forward hands the request a server holds on to another
 * port. A forwarder F on port A (alias 0x66), which receives only 4 bytes of each
 * request, hands it to port B (alias 0x88), whose server S answers the client
 * itself: S sees the client's whole 8-byte message and B's alias. Bad ops are
 * refused, a forward with no request held does nothing, a null destination
 * leaves the request with F (which answers it), and with no server on B the
 * client waits there and, once S comes, sends its call again through F.
 */
#include <string.h>
#include <fluke/ref.h>
#include <fluke/syscalls.h>
#include "ipccheck.h"

#define FORWARDER	2
#define UPSTREAM	3
#define CALLER		4
#define NULL_ANSWER	0xdeadu

static fluke_pset_t a_pset, b_pset;
static fluke_port_t a_port, b_port;
static fluke_ref_t a_ref, b_ref, a_pset_ref, b_pset_ref, null_ref;

static volatile int fwd_seen, up_seen, to_null, null_rc;
static volatile uint32_t fwd_bytes, up_alias, up_bytes;
static uint32_t fwd_buf[1], up_buf[4];

/* F: every request goes on to B, or (to_null) to a null reference, which leaves
 * it with F: F answers NULL_ANSWER. */
static void forwarder(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	uint32_t alias, answer = NULL_ANSWER;
	params(&p, 0, 0, fwd_buf, sizeof(fwd_buf));
	int rc = fluke_ipc_wait_receive(&a_pset, &p, &alias);
	for (;;) {
		if (rc != FLUKE_IPC_RECV_IDEMPOTENT) {
			params(&p, 0, 0, fwd_buf, sizeof(fwd_buf));
			rc = fluke_ipc_wait_receive(&a_pset, &p, &alias);
			continue;
		}
		fwd_bytes = p.bytes_received;
		fwd_seen++;
		params(&p, 0, 0, fwd_buf, sizeof(fwd_buf));
		if (!to_null) {
			rc = fluke_ipc_forward_wait_receive(&b_ref, &a_pset, &p, &alias);
			continue;
		}
		null_rc = fluke_ipc_forward_wait_receive(&null_ref, &a_pset, &p, &alias);
		params(&p, &answer, 4, fwd_buf, sizeof(fwd_buf));
		rc = fluke_ipc_reply_wait_receive(&a_pset, &p, &alias);
	}
}

/* S: answers the request's first word plus 100. */
static void upstream(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	uint32_t alias, answer;
	params(&p, 0, 0, up_buf, sizeof(up_buf));
	int rc = fluke_ipc_wait_receive(&b_pset, &p, &alias);
	for (;;) {
		if (rc == FLUKE_IPC_RECV_IDEMPOTENT) {
			up_alias = alias;
			up_bytes = p.bytes_received;
			up_seen++;
			answer = up_buf[0] + 100;
			params(&p, &answer, 4, up_buf, sizeof(up_buf));
		} else {
			params(&p, 0, 0, up_buf, sizeof(up_buf));
		}
		rc = fluke_ipc_reply_wait_receive(&b_pset, &p, &alias);
	}
}

/* One call to A with (word, 0x5eed): the answer's first word, or 0 if the call
 * failed. */
static uint32_t call_a(uint32_t word)
{
	fluke_ipc_params_t p;
	uint32_t req[2] = { word, 0x5eed }, rep = 0;
	params(&p, req, sizeof(req), &rep, sizeof(rep));
	return fluke_ipc_call(&a_ref, &p) == FLUKE_SUCCESS ? rep : 0;
}

static volatile uint32_t caller_rep;
static volatile int caller_done;

static void caller(int self)
{
	(void)self;
	caller_rep = call_a(7);
	caller_done = 1;
	for (;;)
		fluke_thread_yield();
}

static void forward(void)
{
	const char *t = "ipc-forward";
	fluke_ipc_params_t p;
	test_record("BEGIN", "%s", t);
	CHECK(t, start(FORWARDER, forwarder) == 0 && start(UPSTREAM, upstream) == 0);
	test_settle();
	/* Handed on: S answers the client, with the client's whole message. */
	for (uint32_t i = 1; i <= 2; i++) {
		up_buf[1] = 0;
		CHECK(t, call_a(i) == i + 100);
		CHECK(t, fwd_seen == (int)i && up_seen == (int)i && fwd_bytes == 4);
		CHECK(t, up_alias == 0x88 && up_bytes == 8 && up_buf[1] == 0x5eed);
	}
	/* Ops that are no server call without REPLY; no request held. */
	params(&p, 0, 0, 0, 0);
	CHECK(t, fluke_ipc_forward(FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_REPLY |
						 FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE),
				   &a_pset, &p, 0, &b_ref) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_ipc_forward(FLUKE_IPC_OPS(FLUKE_IPC_CLIENT | FLUKE_IPC_SEND), 0, &p, 0,
				   &b_ref) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_ipc_forward(0x1234, 0, &p, 0, &b_ref) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_ipc_forward(0, 0, 0, 0, &b_ref) == FLUKE_SUCCESS);
	/* A null destination: the request stays with F. */
	to_null = 1;
	CHECK(t, call_a(3) == NULL_ANSWER && null_rc == FLUKE_IPC_INVALID_DEST);
	CHECK(t, up_seen == 2);
	to_null = 0;
	/* No server on B: the client waits there, then calls again through F. */
	stop(UPSTREAM);
	int seen = fwd_seen;
	caller_done = 0;
	CHECK(t, start(CALLER, caller) == 0);
	test_settle();
	CHECK(t, !caller_done && fwd_seen == seen + 1);
	CHECK(t, start(UPSTREAM, upstream) == 0);
	CHECK(t, wait_until(&caller_done, 1));
	CHECK(t, caller_rep == 107 && fwd_seen == seen + 2);
	stop(CALLER);
	stop(UPSTREAM);
	stop(FORWARDER);
	test_record("PASS", "%s", t);
}

void forward_checks(void)
{
	if (make_port(&a_pset, &a_port, &a_ref, &a_pset_ref, 0x66) ||
	    make_port(&b_pset, &b_port, &b_ref, &b_pset_ref, 0x88) || fluke_ref_create(&null_ref)) {
		test_record("FAIL", "ipc-forward setup");
		test_failures++;
		return;
	}
	forward();
	fluke_port_destroy(&a_port);
	fluke_port_destroy(&b_port);
	fluke_pset_destroy(&a_pset);
	fluke_pset_destroy(&b_pset);
	fluke_ref_destroy(&a_ref);
	fluke_ref_destroy(&b_ref);
	fluke_ref_destroy(&a_pset_ref);
	fluke_ref_destroy(&b_pset_ref);
	fluke_ref_destroy(&null_ref);
}
