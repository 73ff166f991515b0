/* The start-up convention (<fluke/start.h>): what crt0 saved, the Parent and the
 * services it hands out, and starting more threads. */
#include <fluke/start.h>
#include <fluke/abi/boot.h>
#include <fluke/parent.h>
#include <fluke/space.h>
#include <fluke/thread.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>

uint32_t fluke_start_kind;
void *fluke_start_arg;
const char *fluke_start_name;
uint64_t fluke_start_tsc;

const fluke_ref_t *fluke_parent(void)
{
	if (fluke_start_kind != FLUKE_START_CHILD)
		return 0;
	return &((struct fluke_start_info *)fluke_start_arg)->parent;
}

struct fluke_boot_info *fluke_boot(void)
{
	return fluke_start_kind == FLUKE_START_BOOT ? fluke_start_arg : 0;
}

const fluke_ref_t *fluke_self_space(void)
{
	static fluke_ref_t self;
	static int made;
	if (!made) {
		fluke_ref_create(&self);
		fluke_space_self(&self);
		made = 1;
	}
	return &self;
}

int fluke_thread_start(fluke_thread_t *t, void (*fn)(void *), void *arg, void *stack,
		       uint32_t size, uint32_t priority)
{
	/* The frame fn sees, as if called: a null return address, then arg; esp + 4
	 * is 16-byte aligned, as the i386 ABI promises at a function's entry. */
	uint32_t *sp = (uint32_t *)((((uint32_t)stack + size) & ~15u) - 20);
	sp[0] = 0;
	sp[1] = (uint32_t)arg;
	fluke_thread_state_t st = { .priority = priority, .eip = (uint32_t)fn, .esp = (uint32_t)sp };
	int rc = fluke_thread_create(t);
	return rc != FLUKE_SUCCESS ? rc : fluke_thread_set_state(t, &st, fluke_self_space(), 0);
}

struct fluke_rpc *fluke_client_rpc(void)
{
	static struct fluke_rpc rpc;
	static int made;
	if (!made) {
		fluke_rpc_init(&rpc);
		made = 1;
	}
	return &rpc;
}

const fluke_ref_t *fluke_service(uint32_t service)
{
	static fluke_ref_t refs[FLUKE_SERVICES];
	static int asked[FLUKE_SERVICES];
	if (!fluke_parent() || service >= FLUKE_SERVICES)
		return 0;
	if (service == FLUKE_SVC_PARENT)
		return fluke_parent();
	if (!asked[service]) {
		fluke_ref_create(&refs[service]);
		asked[service] = 1;
		if (fluke_parent_get(service, &refs[service]) != FLUKE_SUCCESS)
			fluke_ref_clear(&refs[service]);
	}
	return fluke_ref_type(&refs[service]) == FLUKE_TYPE_PORT ? &refs[service] : 0;
}
