/*
 * Arguments that fit together, so that random calls get past the first check:
 * a live object with a state of its type and links of the right types, an empty
 * slot to create in. The objects every run starts with are named: their slots
 * are fixed, and references among them give the links. The templates (a state
 * and a links array per type, in the first page of the argument buffers) are
 * plausible states: a thread that runs in the fuzzer's own space (it faults at
 * once, serves IPC, or is a minion making random calls), a region over the object
 * slots, a mapping of it into the own space...
 */
#include "fuzz.h"
#include <fluke/ipc.h>
#include <fluke/object.h>
#include <fluke/abi/syscall_numbers.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>

/* Named slots. */
enum {
	N_SELF_SPACE, N_SELF_THREAD, N_MUTEX, N_COND, N_PORT, N_PSET, N_REGION, N_MAPPING,
	N_SPACE, N_THREAD, N_REF_REGION, N_REF_PSET, N_REF_THREAD, N_REF, N_REF_PORT, N_COUNT
};
static const int named_type[N_COUNT] = {
	FLUKE_TYPE_REF, FLUKE_TYPE_REF, FLUKE_TYPE_MUTEX, FLUKE_TYPE_COND, FLUKE_TYPE_PORT,
	FLUKE_TYPE_PSET, FLUKE_TYPE_REGION, FLUKE_TYPE_MAPPING, FLUKE_TYPE_SPACE,
	FLUKE_TYPE_THREAD, FLUKE_TYPE_REF, FLUKE_TYPE_REF, FLUKE_TYPE_REF, FLUKE_TYPE_REF,
	FLUKE_TYPE_REF,
};
#define CREATE_SLOTS	64	/* smart creates and moves stay in the first slots */
#define STATE_VA(t)	(FUZZ_BUF_VA + (t) * 128)
#define LINKS_VA(t)	(FUZZ_BUF_VA + 0x800 + (t) * 32)
#define PARAMS_VA	(FUZZ_BUF_VA + 0xc00)	/* IPC parameters, then their tables */
#define ALIAS_VA	(FUZZ_BUF_VA + 0xe00)
#define SERVER_CALLS	64	/* a server thread's IPC waits before it dies */

/* What the fuzzer believes each of the first slots holds (FLUKE_TYPE_NONE: empty),
 * from its own successful calls; other threads' calls and aliases make it a guess. */
static uint8_t shadow[CREATE_SLOTS];

static int shadow_index(uint32_t va)
{
	uint32_t i = (va - FUZZ_OBJ_VA) / 16;
	return va % 16 == 0 && va >= FUZZ_OBJ_VA && i < CREATE_SLOTS ? (int)i : -1;
}

void smart_note(uint32_t n, const uint32_t a[5])
{
	int i = shadow_index(a[0]), j = shadow_index(a[1]);
	if (n == SYS_object_create && j >= 0)
		shadow[j] = (uint8_t)a[0];
	if ((n == SYS_object_destroy || n == SYS_object_move) && i >= 0) {
		if (n == SYS_object_move && j >= 0)
			shadow[j] = shadow[i];
		shadow[i] = FLUKE_TYPE_NONE;
	}
}

/* A thread a thread template may start: an IPC server on the named port set, so
 * that the fuzzer's IPC calls find a peer. It dies (invalid opcode) after a while. */
static void server(void)
{
	for (int i = 0; i < SERVER_CALLS; i++)
		fluke_ipc(FLUKE_IPC_OPS(FLUKE_IPC_WAIT_STEPS), (void *)fuzz_slot(N_REF_PSET),
			  (void *)PARAMS_VA, (void *)ALIAS_VA);
	__builtin_trap();
}

/* IPC parameters: 64-byte buffers and tables of them in the argument buffers, the
 * named references to send and receive. */
static void params_template(void)
{
	uint32_t *p = (uint32_t *)PARAMS_VA, *tab = p + 16, *refs = p + 32;
	const uint32_t data = FUZZ_BUF_VA + FUZZ_PAGE;
	const uint32_t words[16] = { data, 64, (uint32_t)tab, 2, (uint32_t)refs, 2,
				     data + 0x100, 64, (uint32_t)(tab + 4), 1, (uint32_t)(refs + 2),
				     1 };
	for (int i = 0; i < 16; i++)
		p[i] = words[i];
	for (int i = 0; i < 6; i++)
		tab[i] = i % 2 ? 64 : data + 0x200 + i * 0x40;
	refs[0] = fuzz_slot(N_REF_PORT);
	refs[1] = fuzz_slot(N_SELF_SPACE);
	refs[2] = fuzz_slot(N_REF);
}

void smart_templates(void)
{
	static const uint32_t states[FLUKE_TYPE_COUNT][24] = {
		/* hash, flags, priority, registers (esp and eip: below) */
		[FLUKE_TYPE_THREAD] = { 0, 0, FLUKE_PRIO_DEFAULT },
		[FLUKE_TYPE_SPACE] = { 0, 64 * FUZZ_PAGE },
		[FLUKE_TYPE_REGION] = { 0, FUZZ_OBJ_VA, FUZZ_PAGE, 0xf },
		[FLUKE_TYPE_MAPPING] = { 0, 0, 0x78000000u, FUZZ_PAGE, 0xf },
		[FLUKE_TYPE_PORT] = { 0, 7 },
		[FLUKE_TYPE_MUTEX] = { 0, 0, 1 },
	};
	/* Named slot + 1 of each link's reference; 0: a NULL pointer (keep the link). */
	static const int links[FLUKE_TYPE_COUNT][2] = {
		[FLUKE_TYPE_THREAD] = { N_SELF_SPACE + 1 },
		[FLUKE_TYPE_REGION] = { N_SELF_SPACE + 1 },
		[FLUKE_TYPE_MAPPING] = { N_REF_REGION + 1, N_SELF_SPACE + 1 },
		[FLUKE_TYPE_PORT] = { N_REF_PSET + 1 },
		[FLUKE_TYPE_REF] = { N_REF_THREAD + 1 },
	};
	for (int t = 1; t < FLUKE_TYPE_COUNT; t++) {
		uint32_t *st = (uint32_t *)STATE_VA(t), *ln = (uint32_t *)LINKS_VA(t);
		for (int i = 0; i < 24; i++)
			st[i] = states[t][i];
		for (int i = 0; i < 8; i++)
			ln[i] = i < 2 && links[t][i] ? fuzz_slot(links[t][i] - 1) : 0;
	}
	/* The thread template: it faults at once (eip 0x10), serves IPC or makes random
	 * calls, on one of four stacks at the end of the buffers. */
	uint32_t *thread = (uint32_t *)STATE_VA(FLUKE_TYPE_THREAD);
	const uint32_t entry[3] = { 0x10, (uint32_t)server, (uint32_t)fuzz_minion };
	thread[10] = FUZZ_BUF_VA + FUZZ_BUF_BYTES - 64 - fuzz_rnd() % 4 * 0x400;
	thread[11] = entry[fuzz_rnd() % 3];
	params_template();
}

void smart_init(void)
{
	for (uint32_t i = 0; i < N_COUNT; i++) {
		fluke_object_create(named_type[i], (void *)fuzz_slot(i), 0, 0);
		shadow[i] = (uint8_t)named_type[i];
	}
	fluke_space_self((void *)fuzz_slot(N_SELF_SPACE));
	fluke_thread_self((void *)fuzz_slot(N_SELF_THREAD));
	fluke_object_reference((void *)fuzz_slot(N_REGION), (void *)fuzz_slot(N_REF_REGION));
	fluke_object_reference((void *)fuzz_slot(N_PSET), (void *)fuzz_slot(N_REF_PSET));
	fluke_object_reference((void *)fuzz_slot(N_THREAD), (void *)fuzz_slot(N_REF_THREAD));
	fluke_object_reference((void *)fuzz_slot(N_PORT), (void *)fuzz_slot(N_REF_PORT));
	smart_templates();
	fluke_object_set_state((void *)fuzz_slot(N_PORT), (void *)STATE_VA(FLUKE_TYPE_PORT),
			       (void *)LINKS_VA(FLUKE_TYPE_PORT));	/* into the port set */
}

/* A slot that likely holds an object, and its type as far as known. */
static uint32_t some_object(int *type)
{
	for (int tries = 0; tries < 8; tries++) {
		uint32_t i = fuzz_rnd() % CREATE_SLOTS;
		if (shadow[i] != FLUKE_TYPE_NONE) {
			*type = shadow[i];
			return fuzz_slot(i);
		}
	}
	*type = FLUKE_TYPE_MUTEX;
	return fuzz_slot(N_MUTEX);
}

int smart_args(uint32_t n, uint32_t a[5])
{
	int type;
	switch (n) {
	case SYS_object_create:
		if (fuzz_rnd() % 4 == 0) {	/* make a named object again */
			uint32_t i = fuzz_rnd() % N_COUNT;
			a[0] = named_type[i];
			a[1] = fuzz_slot(i);
		} else {
			a[0] = 1 + fuzz_rnd() % (FLUKE_TYPE_COUNT - 1);
			a[1] = fuzz_slot(fuzz_rnd() % CREATE_SLOTS);
		}
		return 1;
	case SYS_space_self:
	case SYS_thread_self:
		a[0] = fuzz_slot(n == SYS_space_self ? N_SELF_SPACE : N_SELF_THREAD);
		return 1;
	case SYS_object_get_state:
	case SYS_object_set_state:
		a[0] = some_object(&type);
		if (fuzz_rnd() % 4 == 0) {	/* start (or stop) threads often */
			a[0] = fuzz_slot(N_THREAD);
			type = FLUKE_TYPE_THREAD;
		}
		a[1] = fuzz_rnd() % 4 ? STATE_VA(type) : fuzz_value();
		a[2] = fuzz_rnd() % 4 ? LINKS_VA(type) : fuzz_value();
		return 1;
	case SYS_object_reference:
		if (fuzz_rnd() % 2) {	/* point a named reference where it belongs again */
			static const uint8_t pairs[][2] = { { N_REGION, N_REF_REGION },
				{ N_PSET, N_REF_PSET }, { N_THREAD, N_REF_THREAD },
				{ N_PORT, N_REF_PORT } };
			uint32_t i = fuzz_rnd() % 4;
			a[0] = fuzz_slot(pairs[i][0]);
			a[1] = fuzz_slot(pairs[i][1]);
			return 1;
		}
		a[0] = some_object(&type);
		a[1] = fuzz_slot(N_REF);
		return 1;
	case SYS_object_move:
		a[0] = some_object(&type);
		a[1] = fuzz_slot(fuzz_rnd() % CREATE_SLOTS);
		return 1;
	case SYS_object_destroy:
	case SYS_mutex_lock:
	case SYS_mutex_trylock:
	case SYS_mutex_unlock:
	case SYS_cond_signal:
	case SYS_cond_broadcast:
	case SYS_thread_interrupt:
	case SYS_region_protect:
	case SYS_mapping_protect:
		a[0] = some_object(&type);
		a[1] = fuzz_rnd() % 16;
		return 1;
	case SYS_ipc: {
		/* the usual step lists, or a side or flavour with any steps; a port's or
		 * the port set's reference */
		static const uint32_t usual[] = {
			FLUKE_IPC_ONEWAY | FLUKE_IPC_SEND, FLUKE_IPC_CALL_STEPS, FLUKE_IPC_WAIT_STEPS,
			FLUKE_IPC_CLIENT | FLUKE_IPC_CONNECT | FLUKE_IPC_SEND | FLUKE_IPC_OVER |
				FLUKE_IPC_RECEIVE,
			FLUKE_IPC_CLIENT | FLUKE_IPC_SEND, FLUKE_IPC_CLIENT | FLUKE_IPC_DISCONNECT,
			FLUKE_IPC_SERVER | FLUKE_IPC_ACK | FLUKE_IPC_SEND | FLUKE_IPC_DISCONNECT,
			FLUKE_IPC_SERVER | FLUKE_IPC_REPLY, FLUKE_IPC_SERVER | FLUKE_IPC_RECEIVE,
		};
		uint32_t r = fuzz_rnd() % (2 * sizeof(usual) / sizeof(usual[0]));
		a[0] = FLUKE_IPC_OPS(r < sizeof(usual) / sizeof(usual[0]) ? usual[r]
				     : (1u << fuzz_rnd() % 4) | (fuzz_rnd() & FLUKE_IPC_STEPS));
		a[1] = fuzz_slot(fuzz_rnd() % 2 ? N_REF_PORT : N_REF_PSET);
		a[2] = fuzz_rnd() % 4 ? PARAMS_VA : fuzz_value();
		a[3] = ALIAS_VA;
		return 1;
	}
	case SYS_ipc_alert:
		a[0] = fuzz_rnd() % 3;
		return 1;
	case SYS_cond_wait:
		a[0] = fuzz_slot(N_COND);
		a[1] = fuzz_slot(N_MUTEX);
		return 1;
	case SYS_region_dirty:		/* any object; the buffer or any address */
		a[0] = some_object(&type);
		a[1] = fuzz_rnd() % 2 ? FUZZ_BUF_VA : fuzz_value();
		a[2] = fuzz_rnd() % 64;
		return 1;
	default:
		return 0;
	}
}
