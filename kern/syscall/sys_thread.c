/* Calls on threads that are not object calls: self, interrupt, yield, and the
 * calling thread's exception handling (kern/thread/exception.c). */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "vm/uaccess.h"
#include <fluke/abi/error.h>

int sys_thread_self(uint32_t ref)
{
	struct object *r;
	int code = object_find(current->space, ref, FLUKE_TYPE_REF, &r);
	if (code)
		return insanity(code);
	link_set(&((struct ref *)r)->link, current->obj);
	return FLUKE_SUCCESS;
}

int sys_thread_interrupt(uint32_t thread)
{
	struct object *ob;
	int code = object_find(current->space, thread, FLUKE_TYPE_THREAD, &ob);
	if (code)
		return insanity(code);
	thread_interrupt(thread_of(ob));
	return FLUKE_SUCCESS;
}

int sys_thread_yield(void)
{
	sched_preempt();
	return FLUKE_SUCCESS;
}

int sys_thread_set_handlers(uint32_t trap_handler, uint32_t interrupt_handler)
{
	if (trap_handler != FLUKE_HANDLER_KEEP)
		current->trap_handler = trap_handler;
	if (interrupt_handler != FLUKE_HANDLER_KEEP)
		current->interrupt_handler = interrupt_handler;
	return FLUKE_SUCCESS;
}

int sys_thread_enable_exceptions(void)
{
	current->exc_enabled = 1;
	return FLUKE_SUCCESS;
}

int sys_thread_disable_exceptions(void)
{
	current->exc_enabled = 0;
	return FLUKE_SUCCESS;
}

int sys_thread_get_saved_state(uint32_t saved)
{
	if (copy_to_user(current->space, saved, &current->saved, sizeof(current->saved)) < 0)
		return FLUKE_BAD_ADDRESS;
	return FLUKE_SUCCESS;
}

int sys_thread_set_saved_state(uint32_t saved)
{
	fluke_thread_saved_t s;
	if (copy_from_user(current->space, &s, saved, sizeof(s)) < 0)
		return FLUKE_BAD_ADDRESS;
	s.eflags &= FLUKE_USER_EFLAGS;
	current->saved = s;
	return FLUKE_SUCCESS;
}

int sys_thread_return_from_exception(void)
{
	return (int)thread_return_from_exception(current);
}
