#include "syscall/insanity.h"
#include "syscall/syscall.h"
#include "thread/thread.h"
#include "ipc/keeper.h"
#include <fluke/abi/error.h>

static const char *const names[] = {
	[FLUKE_INSANITY_NO_OBJECT] = "NO_OBJECT",
	[FLUKE_INSANITY_NOT_ALIGNED] = "NOT_ALIGNED",
	[FLUKE_INSANITY_OBJECT_EXISTS] = "OBJECT_EXISTS",
	[FLUKE_INSANITY_INVALID_ADDRESS] = "INVALID_ADDRESS",
	[FLUKE_INSANITY_INVALID_PROT] = "INVALID_PROT",
	[FLUKE_INSANITY_INVALID_OBJECT] = "INVALID_OBJECT",
	[FLUKE_INSANITY_INVALID_STATE] = "INVALID_STATE",
	[FLUKE_INSANITY_MUTEX_LOCKED] = "MUTEX_LOCKED",
	[FLUKE_INSANITY_MUTEX_NOT_HELD] = "MUTEX_NOT_HELD",
	[FLUKE_INSANITY_CURRENT_THREAD] = "CURRENT_THREAD",
	[FLUKE_INSANITY_ADDRESS_OVERLAP] = "ADDRESS_OVERLAP",
	[FLUKE_INSANITY_NOT_THREAD] = "NOT_THREAD",
	[FLUKE_INSANITY_NOT_SPACE] = "NOT_SPACE",
	[FLUKE_INSANITY_NOT_REGION] = "NOT_REGION",
	[FLUKE_INSANITY_NOT_MAPPING] = "NOT_MAPPING",
	[FLUKE_INSANITY_NOT_PORT] = "NOT_PORT",
	[FLUKE_INSANITY_NOT_PSET] = "NOT_PSET",
	[FLUKE_INSANITY_NOT_MUTEX] = "NOT_MUTEX",
	[FLUKE_INSANITY_NOT_COND] = "NOT_COND",
	[FLUKE_INSANITY_NOT_REF] = "NOT_REF",
};

const char *insanity_name(uint32_t code)
{
	if (code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown";
}

int insanity(int code)
{
	struct trapframe *tf = current->tf;
	syscall_restart(tf);
	/* An object address a keeper may yet back is a fault for it, not a misuse. */
	if (code == FLUKE_INSANITY_INVALID_ADDRESS && keeper_defer_fault(current))
		return tf->eax;
	tf->trapno = T_INSANITY;
	tf->err = code;
	thread_exception(tf);
	return tf->eax;	/* as the exception left it: the dispatcher writes it back */
}
