/*
 * IPC calls: decode the ops word and the objects the target names, then run the
 * operation (kern/ipc/). The call's progress lives in the caller's registers (EBX,
 * and the params EDX points to), so kern/ipc works on those, not on copies.
 */
#include "syscall_decls.h"
#include "syscall/syscall.h"
#include "syscall/insanity.h"
#include "ipc/ipc.h"
#include "object/ref.h"
#include "thread/thread.h"
#include <fluke/abi/error.h>
#include <fluke/abi/syscall_numbers.h>

#define KINDS	(FLUKE_IPC_CLIENT | FLUKE_IPC_SERVER | FLUKE_IPC_ONEWAY | FLUKE_IPC_IDEMPOTENT)

/* Whether ops is a call fluke/ipc.h allows: steps left a subset of the steps
 * asked, one kind, and steps that fit the kind. */
static inline __attribute__((always_inline)) int ops_valid(uint32_t ops)
{
	uint32_t asked = ops >> 16, left = ops & 0xffff, kind = asked & KINDS;
	if (IPC_OPS_FAST(ops))
		return 1;	/* the common calls, in few tests */
	if ((asked & ~(KINDS | FLUKE_IPC_STEPS)) || (left & ~asked) || (left & KINDS) != kind)
		return 0;
	switch (kind) {
	case FLUKE_IPC_ONEWAY:
		return asked == (FLUKE_IPC_ONEWAY | FLUKE_IPC_SEND) && left == asked;
	case FLUKE_IPC_IDEMPOTENT:
		return asked == (FLUKE_IPC_IDEMPOTENT | FLUKE_IPC_SEND | FLUKE_IPC_RECEIVE) &&
		       left == asked;
	case FLUKE_IPC_CLIENT:
		return !(asked & (FLUKE_IPC_REPLY | FLUKE_IPC_WAIT_RECEIVE));
	case FLUKE_IPC_SERVER:
		return !(asked & FLUKE_IPC_CONNECT) &&
		       (!(asked & FLUKE_IPC_WAIT_RECEIVE) || (asked & FLUKE_IPC_RECEIVE));
	default:
		return 0;
	}
}

/* The port the reference at va points to; NULL for a null reference. */
static inline __attribute__((always_inline)) int find_port(uint32_t va, struct port **out)
{
	struct object *ob;
	int code = object_find(current->space, va, FLUKE_TYPE_REF, &ob);
	if (code)
		return code;
	struct object *target = ((struct ref *)ob)->link.target;
	if (target && target->type != FLUKE_TYPE_PORT)
		return FLUKE_INSANITY_NOT_PORT;
	*out = (struct port *)target;
	return 0;
}

/* The objects target names for ops: 0, or an insanity code. */
static inline int decode(uint32_t ops, uint32_t target, struct ipc_args *a)
{
	struct object *ob;
	int code = 0;
	a->port = NULL;
	a->pset = NULL;
	if (ops & (FLUKE_IPC_CONNECT | FLUKE_IPC_ONEWAY | FLUKE_IPC_IDEMPOTENT)) {
		code = find_port(target, &a->port);
	} else if (ops & FLUKE_IPC_WAIT_RECEIVE) {
		code = object_find(current->space, target, FLUKE_TYPE_PSET, &ob);
		a->pset = (struct pset *)ob;
	}
	return code;
}

int sys_ipc(uint32_t ops, uint32_t target, uint32_t params, uint32_t alias_out)
{
	(void)params;
	(void)alias_out;
	struct ipc_args a;
	if (!ops_valid(ops))
		return FLUKE_INVALID_ARGUMENT;
	int code = decode(ops, target, &a);
	if (code)
		return insanity(code);
	if (ipc_fast(&a, &code))
		return code;	/* a common case, in one pass (kern/ipc/fastpath.c) */
	return ipc_call(&a);
}

/* Forward the held request to the port at to, then (ops not 0) run ops, a server
 * call without REPLY, as sys_ipc: the thread's call is an ipc call from then on,
 * so it restarts as one. Everything is checked before anything changes. */
int sys_ipc_forward(uint32_t ops, uint32_t target, uint32_t params, uint32_t alias_out,
		    uint32_t to)
{
	(void)params;
	(void)alias_out;
	struct ipc_args a = { NULL, NULL };
	struct port *p;
	if (ops && (!ops_valid(ops) || !(ops & FLUKE_IPC_SERVER) || (ops & FLUKE_IPC_REPLY)))
		return FLUKE_INVALID_ARGUMENT;
	int code = find_port(to, &p);
	if (!code && ops)
		code = decode(ops, target, &a);
	if (code)
		return insanity(code);
	if (a.pset && ipc_fast_forward(p, a.pset, &code))
		return code;	/* the usual case, in one pass (kern/ipc/fastpath.c) */
	if ((code = ipc_forward(p)) != 0 || !ops)
		return code;
	current->tf->eax = SYS_ipc;
	return ipc_call(&a);
}

int sys_ipc_alert(int side)
{
	if (side != FLUKE_IPC_CLIENT && side != FLUKE_IPC_SERVER)
		return FLUKE_INVALID_ARGUMENT;
	return ipc_alert(side == FLUKE_IPC_SERVER ? IPC_SERVER : IPC_CLIENT);
}
