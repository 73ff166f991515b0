/*
 * Mutex and condition-variable calls. A call that must wait backs its thread up
 * to its int $0x40 (syscall_restart) and sleeps; woken, the thread runs the call
 * again, so a waiting thread's whole state is its registers.
 */
#include "syscall_decls.h"
#include "syscall/syscall.h"
#include "syscall/insanity.h"
#include "sync/mutex.h"
#include "sync/cond.h"
#include "thread/thread.h"
#include <fluke/abi/error.h>
#include <fluke/abi/syscall_numbers.h>

static int find_mutex(uint32_t va, struct mutex **out)
{
	struct object *ob;
	int code = object_find(current->space, va, FLUKE_TYPE_MUTEX, &ob);
	if (!code)
		*out = (struct mutex *)ob;
	return code;
}

static int find_cond(uint32_t va, struct cond **out)
{
	struct object *ob;
	int code = object_find(current->space, va, FLUKE_TYPE_COND, &ob);
	if (!code)
		*out = (struct cond *)ob;
	return code;
}

/* Lock m for the caller, or sleep until it is unlocked and restart the call. */
static int lock(struct mutex *m)
{
	if (m->owner == current)
		return insanity(FLUKE_INSANITY_MUTEX_LOCKED);
	if (mutex_acquire(m, current) == 0)
		return FLUKE_SUCCESS;
	waitq_sleep(&m->waiters, &m->ob);
	mutex_reprioritize(m->owner);		/* it may inherit current's priority */
	return syscall_restart(current->tf);
}

int sys_mutex_lock(uint32_t mutex)
{
	struct mutex *m;
	int code = find_mutex(mutex, &m);
	return code ? insanity(code) : lock(m);
}

int sys_mutex_trylock(uint32_t mutex)
{
	struct mutex *m;
	int code = find_mutex(mutex, &m);
	if (code)
		return insanity(code);
	return mutex_acquire(m, current) == 0 ? FLUKE_SUCCESS : FLUKE_WOULD_BLOCK;
}

int sys_mutex_unlock(uint32_t mutex)
{
	struct mutex *m;
	int code = find_mutex(mutex, &m);
	if (code)
		return insanity(code);
	if (m->owner != current)
		return insanity(FLUKE_INSANITY_MUTEX_NOT_HELD);
	mutex_release(m);
	return FLUKE_SUCCESS;
}

/* Sleep on the condition; woken, the thread restarts as cond_reacquire with the
 * same arguments (EBX, ECX unchanged), which locks the mutex again. */
int sys_cond_wait(uint32_t cond, uint32_t mutex)
{
	struct cond *c;
	struct mutex *m;
	int code = find_cond(cond, &c);
	if (!code)
		code = find_mutex(mutex, &m);
	if (code)
		return insanity(code);
	if (m->owner != current)
		return insanity(FLUKE_INSANITY_MUTEX_NOT_HELD);
	mutex_release(m);
	waitq_sleep(&c->waiters, &c->ob);
	current->tf->eax = SYS_cond_reacquire;
	return syscall_restart(current->tf);
}

int sys_cond_reacquire(uint32_t cond, uint32_t mutex)
{
	(void)cond;
	return sys_mutex_lock(mutex);
}

int sys_cond_signal(uint32_t cond)
{
	struct cond *c;
	int code = find_cond(cond, &c);
	if (code)
		return insanity(code);
	waitq_wake_one(&c->waiters);
	return FLUKE_SUCCESS;
}

int sys_cond_broadcast(uint32_t cond)
{
	struct cond *c;
	int code = find_cond(cond, &c);
	if (code)
		return insanity(code);
	waitq_wake_all(&c->waiters);
	return FLUKE_SUCCESS;
}
