/*
 * keeper-syscalls: system calls whose buffers and objects lie in memory the keeper
 * has not backed yet. The kernel sends each such fault to the region's keeper on
 * the caller's behalf, as if the caller had touched the page, and runs the call
 * again once the keeper has answered, without repeating what it already did:
 *   - objects created in, and a kernel counter block written to, absent pages;
 *   - a 200-character console write whose last 50 characters are absent: the
 *     first 128 are written once (the console shows x*150 y*50, nothing twice);
 *   - a reliable RPC of 6,000 bytes and an idempotent call of a page between two
 *     threads of C, every buffer absent: both the thread running the transfer and
 *     its peer waiting in IPC fault, and each gets exactly the bytes sent;
 *   - a one-way message from an absent page to a port nobody serves: the kernel
 *     checks the message before it finds nobody, so the keeper still backs it;
 *   - a page the keeper refuses: the call returns FLUKE_BAD_ADDRESS.
 * A backs every page with its own words' C addresses (pages TEXT_X and TEXT_Y with
 * the letters x and y), so the data a child receives says where it came from.
 */
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/mutex.h>
#include <fluke/object.h>
#include <fluke/port.h>
#include <fluke/syscalls.h>
#include <fluke/abi/vm.h>
#include "keepcheck.h"

/* The pages of C's kept region, by number. */
enum {
	RESULTS,	/* words the children report in */
	MUTEX,		/* a mutex created in an absent page */
	STATS,		/* fluke_vm_stats writes here */
	TEXT_X, TEXT_Y,	/* the console write's text */
	OBJECTS,	/* the server's port set, port and references */
	SEND, SEND_2 = SEND + 1,	/* the reliable request, 6,000 bytes */
	SRECV, SRECV_2 = SRECV + 1,	/* where the server receives it */
	CRECV, CRECV_2 = CRECV + 1,	/* where the client receives the echo */
	CALL,		/* the idempotent request, a page */
	SERVE,		/* where the server receives it */
	REPLY,		/* where the client receives the reply */
	ONEWAY,		/* a one-way message to a port nobody serves */
	REFUSED,	/* the keeper refuses this page */
	NPAGES_SC
};

#define AT(page)	(DATA_C + (page) * PAGE)
#define RPC_BYTES	6000u
#define DONE		0xd09eu

/* The words of RESULTS. */
enum { CLIENT_BAD, CLIENT_DONE, SERVER_BAD, SERVER_READY, SERVER_SERVED };

struct server_objects {
	fluke_pset_t pset;
	fluke_port_t port;
	fluke_ref_t port_ref;	/* what the client calls through */
	fluke_ref_t tmp;
	fluke_port_t lonely;	/* a port in no set: nobody receives from it */
	fluke_ref_t lonely_ref;
};

/* --- Code the children run in C. ------------------------------------------- */

/* 1 if the n bytes at got are A's fill of the pages at from: each word its C address. */
static int filled_from(uint32_t got, uint32_t from, uint32_t n)
{
	for (uint32_t i = 0; i < n / 4; i++)
		if (((volatile uint32_t *)got)[i] != from + 4 * i)
			return 0;
	return 1;
}

static void params(fluke_ipc_params_t *p, uint32_t send, uint32_t send_bytes, uint32_t recv,
		   uint32_t recv_bytes)
{
	memset(p, 0, sizeof(*p));
	p->send.ptr = (void *)send;
	p->send.bytes = send_bytes;
	p->recv.ptr = (void *)recv;
	p->recv.bytes = recv_bytes;
}

static void client(uint32_t unused1, uint32_t unused2)
{
	(void)unused1, (void)unused2;
	volatile uint32_t *res = (uint32_t *)AT(RESULTS);
	struct server_objects *o = (struct server_objects *)AT(OBJECTS);
	uint32_t bad = 0;
	fluke_ipc_params_t p;
	fluke_vm_stats_t *st = (fluke_vm_stats_t *)AT(STATS);
	const char *text = (const char *)AT(TEXT_Y) - 150;
	char nl = '\n';

	res[CLIENT_BAD] = 0;
	bad |= (fluke_mutex_create((fluke_mutex_t *)AT(MUTEX)) != 0) << 0;
	bad |= (fluke_mutex_lock((fluke_mutex_t *)AT(MUTEX)) != 0 ||
		fluke_mutex_unlock((fluke_mutex_t *)AT(MUTEX)) != 0) << 1;
	bad |= (fluke_vm_stats(st) != 0 || st->pool_pages == 0) << 2;
	bad |= (text[0] != 'x') << 3;		/* TEXT_X is there, TEXT_Y not yet */
	bad |= (fluke_console_write(text, 200) != 0 || fluke_console_write(&nl, 1) != 0) << 4;

	while (res[SERVER_READY] != 1)
		fluke_thread_yield();
	params(&p, AT(SEND), RPC_BYTES, AT(CRECV), RPC_BYTES);
	int rc = fluke_ipc_client_connect_send_over_receive(&o->port_ref, &p);
	bad |= (rc != FLUKE_IPC_RECV_DISCONNECTED || p.bytes_received != RPC_BYTES ||
		p.send.bytes != 0) << 5;
	bad |= !filled_from(AT(CRECV), AT(SEND), RPC_BYTES) << 6;

	params(&p, AT(CALL), PAGE, AT(REPLY), PAGE);
	rc = fluke_ipc_call(&o->port_ref, &p);
	bad |= (rc != FLUKE_SUCCESS || p.bytes_received != PAGE) << 7;
	bad |= !filled_from(AT(REPLY), AT(CALL), PAGE) << 8;

	/* Nobody receives, but the message is checked first: the keeper backs it. */
	params(&p, AT(ONEWAY), PAGE, 0, 0);
	bad |= (fluke_ipc_send(&o->lonely_ref, &p) != FLUKE_IPC_NO_RECEIVER) << 10;

	bad |= (fluke_vm_stats((fluke_vm_stats_t *)AT(REFUSED)) != FLUKE_BAD_ADDRESS) << 9;
	res[CLIENT_BAD] = bad;
	res[CLIENT_DONE] = DONE;
	__asm__ volatile("int3");	/* tell the keeper: done */
	for (;;)
		;
}

/* Echoes the reliable request, then answers idempotent calls with what they sent,
 * as often as they are sent. */
static void server(uint32_t unused1, uint32_t unused2)
{
	(void)unused1, (void)unused2;
	volatile uint32_t *res = (uint32_t *)AT(RESULTS);
	struct server_objects *o = (struct server_objects *)AT(OBJECTS);
	fluke_port_state_t ps = { 0, 9 };
	fluke_ipc_params_t p;
	uint32_t alias, bad = 0;

	res[SERVER_BAD] = 0;
	res[SERVER_SERVED] = 0;
	bad |= (fluke_pset_create(&o->pset) || fluke_port_create(&o->port) ||
		fluke_ref_create(&o->port_ref) || fluke_ref_create(&o->tmp) ||
		fluke_pset_reference(&o->pset, &o->tmp) ||
		fluke_port_set_state(&o->port, &ps, &o->tmp) ||
		fluke_port_reference(&o->port, &o->port_ref) ||
		fluke_port_create(&o->lonely) || fluke_ref_create(&o->lonely_ref) ||
		fluke_port_reference(&o->lonely, &o->lonely_ref)) << 0;
	res[SERVER_READY] = 1;

	params(&p, 0, 0, AT(SRECV), RPC_BYTES);
	int rc = fluke_ipc_wait_receive(&o->pset, &p, &alias);
	bad |= (rc != FLUKE_SUCCESS || p.bytes_received != RPC_BYTES || alias != 9) << 1;
	bad |= !filled_from(AT(SRECV), AT(SEND), RPC_BYTES) << 2;
	res[SERVER_BAD] = bad;
	params(&p, AT(SRECV), RPC_BYTES, AT(SERVE), PAGE);
	rc = fluke_ipc_server_ack_send_wait_receive(&o->pset, &p, &alias);
	for (;;) {
		bad |= (rc != FLUKE_IPC_RECV_IDEMPOTENT || p.bytes_received != PAGE) << 3;
		bad |= !filled_from(AT(SERVE), AT(CALL), PAGE) << 4;
		res[SERVER_BAD] = bad;
		res[SERVER_SERVED]++;
		params(&p, AT(SERVE), PAGE, AT(SERVE), PAGE);
		rc = fluke_ipc_reply_wait_receive(&o->pset, &p, &alias);
	}
}

/* --- The keeper, in A. ------------------------------------------------------ */

/* Back page n of the kept region with a page of A's memory, filled. */
static int back(uint32_t n)
{
	uint32_t pg = take_page();
	if (n == TEXT_X || n == TEXT_Y)
		memset((void *)pg, n == TEXT_X ? 'x' : 'y', PAGE);
	else
		for (uint32_t i = 0; i < PAGE / 4; i++)
			((uint32_t *)pg)[i] = AT(n) + 4 * i;
	fluke_region_t *free_reg = &boot->areas[FLUKE_BOOT_FREE].region;
	uint32_t off = pg - boot->areas[FLUKE_BOOT_FREE].start_va;
	return mapping(&backing[n], free_reg, off, &ref_self, BACK_A + n * PAGE, PAGE,
		       FLUKE_PROT_ALL);
}

/* Whether the fault came from a system call: eip at C's int $0x40 (A's text). */
static int from_syscall(void)
{
	const uint8_t *insn = (const uint8_t *)msg.eip;
	return insn[0] == 0xcd && insn[1] == 0x40;
}

void syscalls(void)
{
	const char *t = "keeper-syscalls";
	uint32_t faults[NPAGES_SC] = { 0 }, from_calls = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, region(&reg_data, &ref_self, BACK_A, NPAGES_SC * PAGE, FLUKE_PROT_ALL,
			&ref_port) == 0);
	CHECK(t, start_child(client, 0, 0) == 0 && start_child2(server, 0, 0) == 0);
	CHECK(t, mapping(&map_data, &reg_data, 0, &ref_c, DATA_C, NPAGES_SC * PAGE,
			 FLUKE_PROT_ALL) == 0);
	int answer = 0, fail = 0;
	for (;;) {
		CHECK(t, next_request(answer, fail) == 0);
		if (msg.kind != FLUKE_KEEPER_PAGE_FAULT)
			break;
		uint32_t n = msg.offset / PAGE;
		CHECK(t, msg.addr == DATA_C + msg.offset && n < NPAGES_SC);
		CHECK(t, msg.why == FLUKE_FAULT_NO_MAPPING && fluke_ref_type(&ref_about) ==
			 FLUKE_TYPE_REGION);
		faults[n]++;
		from_calls += from_syscall();
		answer = 1;
		fail = n == REFUSED;
		if (!fail)
			CHECK(t, back(n) == 0);
	}
	CHECK(t, msg.kind == FLUKE_KEEPER_EXCEPTION && msg.exc == FLUKE_EXC_BREAKPOINT);
	volatile uint32_t *res = (uint32_t *)BACK_A;
	test_record("INFO", "client 0x%x, server 0x%x, %u requests served, %u faults from calls",
		    res[CLIENT_BAD], res[SERVER_BAD], res[SERVER_SERVED], from_calls);
	CHECK(t, res[CLIENT_DONE] == DONE && res[CLIENT_BAD] == 0);
	CHECK(t, res[SERVER_BAD] == 0 && res[SERVER_SERVED] >= 1);
	for (uint32_t n = 0; n < REFUSED; n++)
		CHECK(t, faults[n] == 1);		/* each page asked for once */
	CHECK(t, faults[REFUSED] >= 1);
	CHECK(t, from_calls == NPAGES_SC - 2);	/* all but RESULTS and TEXT_X */
	stop_child();
	fluke_mapping_destroy(&map_data);
	fluke_region_destroy(&reg_data);
	for (uint32_t n = 0; n < NPAGES_SC; n++)
		if (n != REFUSED)
			fluke_mapping_destroy(&backing[n]);
	test_record("METRIC", "keeper_syscall_faults=%u", from_calls);
	test_record("PASS", "%s", t);
}
