/* Calls on threads that are not object calls: self, interrupt, yield. */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include <fluke/error.h>

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
