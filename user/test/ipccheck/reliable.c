/*
 * Reliable connections: an echo RPC of 1, 100 and 100,000 bytes (the request in
 * three buffers), params whose page is replaced between two calls, a reference
 * passed both ways, a port moved to another port set, disconnects from either side
 * and alerts to either side.
 */
#include <string.h>
#include <fluke/ref.h>
#include <fluke/mutex.h>
#include <fluke/space.h>
#include <fluke/start.h>
#include <fluke/abi/boot.h>
#include "ipccheck.h"

#define BIG 100000

static fluke_pset_t psets[2];
static fluke_port_t port;
static fluke_ref_t port_ref, pset_refs[2];

static uint8_t req[BIG], rep[BIG], echo_buf[2][BIG];
static fluke_ref_t echo_ref[2];		/* where each echo server receives a reference */
static volatile int served[2];

/* Echo server i on psets[i]: send back the data and references it received. */
static void echo_server(int i)
{
	fluke_ipc_params_t p;
	fluke_ref_t *slot = &echo_ref[i];
	uint32_t alias;
	params(&p, 0, 0, echo_buf[i], BIG);
	p.recv_refs = &slot;
	p.recv_ref_count = 1;
	int rc = fluke_ipc_setup_wait_receive(&psets[i], &p, &alias);
	for (;;) {
		served[i]++;
		uint32_t n = rc == FLUKE_SUCCESS ? p.bytes_received : 0;
		uint32_t refs = rc == FLUKE_SUCCESS ? p.refs_received : 0;
		params(&p, echo_buf[i], n, echo_buf[i], BIG);
		p.send_refs = &slot;
		p.send_ref_count = refs;
		p.recv_refs = &slot;
		p.recv_ref_count = 1;
		rc = fluke_ipc_server_ack_send_wait_receive(&psets[i], &p, &alias);
	}
}

/* One echo RPC of n bytes sent as three pieces; 1 if the reply matches. */
static int echo(uint32_t n, uint32_t seed)
{
	fluke_ipc_params_t p;
	for (uint32_t k = 0; k < n; k++)
		req[k] = (uint8_t)(k * 7 + seed);
	memset(rep, 0, n);
	uint32_t a = n / 3, b = n / 3;
	fluke_ipc_buf_t tab[2] = { { req + a, b }, { req + a + b, n - a - b } };
	params(&p, req, a, rep, BIG);
	p.send_tab = tab;
	p.send_tab_count = 2;
	int rc = fluke_ipc_client_connect_send_over_receive(&port_ref, &p);
	return rc == FLUKE_IPC_RECV_DISCONNECTED && p.bytes_received == n &&
	       memcmp(req, rep, n) == 0 && p.send.bytes == 0 && p.send_tab_count == 0;
}

static void echo_sizes(void)
{
	const char *t = "ipc-reliable-echo";
	test_record("BEGIN", "%s", t);
	CHECK(t, echo(1, 1));
	CHECK(t, echo(100, 2));
	CHECK(t, echo(BIG, 3));
	CHECK(t, echo(0, 4));
	test_record("PASS", "%s", t);
}

/*
 * The fast path keeps a window onto a thread's params from call to call
 * (kern/vm/uaccess.h, uaccess_window_kept). Here the client's params stay at one
 * address, PARAMS_VA, while the page under it changes: a mapping of page 0 (of
 * two spare pages of free memory), two echo calls, then a mapping of page 1 in
 * its place. The third call's progress must land in page 1, where the params now
 * are, and page 0 keep what it held: a stale window would write there instead.
 */
#define PAGE		4096u
#define PARAMS_VA	0x20000000u	/* below the boot file system (fluke/abi/boot.h) */
static fluke_region_t page_region[2];
static fluke_mapping_t page_mapping[2];
static fluke_ref_t region_ref;

/* The two spare pages: the last of this program's free memory, which no other
 * check uses. */
static uint32_t spare_pages(void)
{
	const struct fluke_boot_area *a = &fluke_boot()->areas[FLUKE_BOOT_FREE];
	return a->start_va + a->size - 2 * PAGE;
}

/* Map pages[k] at PARAMS_VA of this space; 0, or nonzero if a call failed. */
static int map_page(int k)
{
	fluke_region_state_t rs = { 0, spare_pages() + k * PAGE, PAGE, FLUKE_PROT_ALL };
	fluke_mapping_state_t ms = { 0, 0, PARAMS_VA, PAGE, FLUKE_PROT_ALL };
	return fluke_region_create(&page_region[k]) ||
	       fluke_region_set_state(&page_region[k], &rs, space_ref(), 0) ||
	       fluke_mapping_create(&page_mapping[k]) ||
	       fluke_region_reference(&page_region[k], &region_ref) ||
	       fluke_mapping_set_state(&page_mapping[k], &ms, &region_ref, space_ref());
}

/* A four-byte echo with its params at PARAMS_VA: 1 if it went through. */
static int echo_at_params_va(void)
{
	fluke_ipc_params_t *p = (fluke_ipc_params_t *)PARAMS_VA;
	memcpy(req, "ping", 4);
	params(p, req, 4, rep, 4);
	return fluke_ipc_client_connect_send_over_receive(&port_ref, p) ==
	       FLUKE_IPC_RECV_DISCONNECTED && p->bytes_received == 4 && memcmp(rep, "ping", 4) == 0;
}

static void params_remapped(void)
{
	const char *t = "ipc-params-remapped";
	fluke_ipc_params_t *old = (fluke_ipc_params_t *)spare_pages();
	const fluke_ipc_params_t *now = (const fluke_ipc_params_t *)(spare_pages() + PAGE);
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_ref_create(&region_ref) == 0 && map_page(0) == 0);
	CHECK(t, echo_at_params_va() && echo_at_params_va());
	CHECK(t, old->bytes_received == 4);
	CHECK(t, fluke_mapping_destroy(&page_mapping[0]) == 0 && map_page(1) == 0);
	params(old, req, 4, rep, 4);	/* a call a stale window would take for this one */
	old->bytes_received = 77;
	CHECK(t, echo_at_params_va());
	CHECK(t, now->bytes_received == 4 && now->send.bytes == 0 && now->recv.bytes == 0);
	CHECK(t, old->bytes_received == 77 && old->send.bytes == 4 && old->recv.bytes == 4);
	CHECK(t, fluke_mapping_destroy(&page_mapping[1]) == 0);
	for (int k = 0; k < 2; k++)
		CHECK(t, fluke_region_destroy(&page_region[k]) == 0);
	CHECK(t, fluke_ref_destroy(&region_ref) == 0);
	test_record("PASS", "%s", t);
}

static void references(void)
{
	const char *t = "ipc-reference";
	fluke_mutex_t m;
	fluke_ref_t mref, back, *send_slot = &mref, *recv_slot = &back;
	fluke_ipc_params_t p;
	char c = 'x', d = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mutex_create(&m) == 0 && fluke_ref_create(&mref) == 0 &&
		 fluke_ref_create(&back) == 0 && fluke_mutex_reference(&m, &mref) == 0);
	params(&p, &c, 1, &d, 1);
	p.send_refs = &send_slot;
	p.send_ref_count = 1;
	p.recv_refs = &recv_slot;
	p.recv_ref_count = 1;
	CHECK(t, fluke_ipc_client_connect_send_over_receive(&port_ref, &p) ==
		 FLUKE_IPC_RECV_DISCONNECTED);
	/* The server's reference points at the mutex, and so does the one it sent back. */
	CHECK(t, fluke_ref_compare(&echo_ref[0], &mref) == 1);
	CHECK(t, fluke_ref_type(&echo_ref[0]) == FLUKE_TYPE_MUTEX);
	CHECK(t, p.refs_received == 1 && fluke_ref_compare(&back, &mref) == 1 && d == 'x');
	fluke_mutex_destroy(&m);
	CHECK(t, fluke_ref_type(&back) == FLUKE_TYPE_NONE);
	fluke_ref_destroy(&mref);
	fluke_ref_destroy(&back);
	test_record("PASS", "%s", t);
}

static void move_port(void)
{
	const char *t = "ipc-port-moved";
	fluke_port_state_t st = { 0, 5 };
	test_record("BEGIN", "%s", t);
	int s0 = served[0], s1 = served[1];
	CHECK(t, fluke_port_set_state(&port, &st, &pset_refs[1]) == 0);
	CHECK(t, echo(100, 5));
	CHECK(t, served[0] == s0 && served[1] == s1 + 1);
	CHECK(t, fluke_port_set_state(&port, &st, &pset_refs[0]) == 0);
	CHECK(t, echo(100, 6));
	CHECK(t, served[0] == s0 + 1);
	test_record("PASS", "%s", t);
}

/* A scripted server on psets[1]: receive into 8 bytes, then act as `script` says. */
enum { JUST_RECORD, DISCONNECT, ALERT, BAD_BUFFER };
static volatile int script, script_runs, script_rc, script_rc2, alert_seen;
static volatile uint32_t script_bytes;
static char script_buf[8];

static void script_server(int self)
{
	(void)self;
	fluke_ipc_params_t p;
	for (;;) {
		params(&p, 0, 0, script == BAD_BUFFER ? (void *)0x10 : script_buf, sizeof(script_buf));
		script_rc = fluke_ipc_wait_receive(&psets[1], &p, 0);
		script_bytes = p.bytes_received;
		if (script == DISCONNECT)
			script_rc2 = fluke_ipc_server_disconnect();
		else if (script == ALERT) {
			script_rc2 = fluke_ipc_server_alert();
			wait_until(&alert_seen, 1);	/* keep the connection until then */
		}
		script_runs++;
	}
}

static void disconnects(void)
{
	const char *t = "ipc-disconnect";
	fluke_ipc_params_t p;
	int runs = script_runs;
	test_record("BEGIN", "%s", t);
	/* The sender disconnects: the receiver gets all the data, then DISCONNECTED. */
	script = JUST_RECORD;
	params(&p, "12345678", 8, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	CHECK(t, script_runs == runs);	/* still receiving: no OVER yet */
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, wait_until(&script_runs, runs + 1));
	CHECK(t, script_rc == FLUKE_IPC_RECV_DISCONNECTED && script_bytes == 8);
	CHECK(t, memcmp(script_buf, "12345678", 8) == 0);
	/* The receiver disconnects with data pending: the sender learns it. */
	test_settle();
	script = DISCONNECT;
	params(&p, "0123456789abcdefghij", 20, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_IPC_SEND_DISCONNECTED);
	CHECK(t, wait_until(&script_runs, runs + 2));
	CHECK(t, script_rc == FLUKE_IPC_RECV_MORE_DATA && script_bytes == 8 && script_rc2 == 0);
	CHECK(t, p.send.bytes == 12);	/* what was not taken */
	test_record("PASS", "%s", t);
}

static void alerts(void)
{
	const char *t = "ipc-alert";
	fluke_ipc_params_t p;
	int runs = script_runs;
	test_record("BEGIN", "%s", t);
	test_settle();
	/* Client to server: the server's receive is cut short. */
	script = JUST_RECORD;
	params(&p, "abc", 3, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	CHECK(t, fluke_ipc_client_alert() == FLUKE_SUCCESS);
	CHECK(t, wait_until(&script_runs, runs + 1));
	CHECK(t, script_rc == FLUKE_INTERRUPTED && script_bytes == 3);
	/* Server to client: the client waits for the reply and is cut short. */
	test_settle();
	script = ALERT;
	params(&p, "abc", 3, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send_over_receive(&port_ref, &p) == FLUKE_INTERRUPTED);
	CHECK(t, script_rc == FLUKE_SUCCESS && script_rc2 == FLUKE_SUCCESS);
	/* The steps done are cleared: receiving again continues the same RPC, which the
	 * server's next wait ends. */
	CHECK(t, p.send.bytes == 0);
	alert_seen = 1;
	CHECK(t, fluke_ipc_client_receive(&p) == FLUKE_IPC_RECV_DISCONNECTED);
	CHECK(t, wait_until(&script_runs, runs + 2));
	test_record("PASS", "%s", t);
}

static void bad_buffers(void)
{
	const char *t = "ipc-bad-buffers";
	fluke_ipc_params_t p;
	int runs = script_runs;
	test_record("BEGIN", "%s", t);
	test_settle();
	script = JUST_RECORD;
	/* The sender's own buffer or params are bad: its call fails, the receiver waits on. */
	params(&p, (void *)0x10, 8, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_ipc(FLUKE_IPC_OPS(FLUKE_IPC_CLIENT | FLUKE_IPC_SEND), 0, (void *)0x10, 0) ==
		 FLUKE_BAD_ADDRESS);
	params(&p, "ok", 2, 0, 0);
	CHECK(t, fluke_ipc_client_send(&p) == FLUKE_SUCCESS);
	CHECK(t, script_runs == runs);
	script = BAD_BUFFER;	/* for the server's next wait */
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, wait_until(&script_runs, runs + 1));
	CHECK(t, script_rc == FLUKE_IPC_RECV_DISCONNECTED && script_bytes == 2);
	/* The receiver's buffer is bad: its call fails; the sender sees it disconnect. */
	test_settle();
	params(&p, "12345678", 8, 0, 0);
	int rc = fluke_ipc_client_connect_send(&port_ref, &p);
	CHECK(t, wait_until(&script_runs, runs + 2));
	CHECK(t, script_rc == FLUKE_BAD_ADDRESS);
	CHECK(t, rc == FLUKE_IPC_SEND_DISCONNECTED);
	script = JUST_RECORD;
	test_record("PASS", "%s", t);
}

/* Destroying the server thread ends the connection. */
static void peer_destroyed(void)
{
	const char *t = "ipc-peer-destroyed";
	fluke_ipc_params_t p;
	test_record("BEGIN", "%s", t);
	test_settle();
	params(&p, 0, 0, 0, 0);
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	stop(1);
	params(&p, "x", 1, 0, 0);
	CHECK(t, fluke_ipc_client_send(&p) == FLUKE_IPC_SEND_DISCONNECTED);
	CHECK(t, fluke_ipc_client_alert() == FLUKE_IPC_NOT_CONNECTED);
	test_record("PASS", "%s", t);
}

void reliable_checks(void)
{
	fluke_port_state_t st = { 0, 5 };
	for (int i = 0; i < 2; i++)
		if (fluke_pset_create(&psets[i]) || fluke_ref_create(&pset_refs[i]) ||
		    fluke_pset_reference(&psets[i], &pset_refs[i]) || fluke_ref_create(&echo_ref[i])) {
			test_record("FAIL", "ipc-reliable setup");
			test_failures++;
			return;
		}
	if (fluke_port_create(&port) || fluke_ref_create(&port_ref) ||
	    fluke_port_reference(&port, &port_ref) || fluke_port_set_state(&port, &st, &pset_refs[0]) ||
	    start(0, echo_server) || start(1, echo_server)) {
		test_record("FAIL", "ipc-reliable setup");
		test_failures++;
		return;
	}
	test_settle();
	echo_sizes();
	params_remapped();
	references();
	move_port();
	stop(1);
	if (start(1, script_server) == 0 && fluke_port_set_state(&port, &st, &pset_refs[1]) == 0) {
		test_settle();
		disconnects();
		alerts();
		bad_buffers();
		peer_destroyed();
	}
	stop(0);
	fluke_port_destroy(&port);
	for (int i = 0; i < 2; i++) {
		fluke_pset_destroy(&psets[i]);
		fluke_ref_destroy(&pset_refs[i]);
		fluke_ref_destroy(&echo_ref[i]);
	}
	fluke_ref_destroy(&port_ref);
}
