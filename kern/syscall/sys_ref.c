/* Reference calls. None of them reveals where the target lives. */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/ref.h"
#include "thread/thread.h"
#include <fluke/abi/error.h>

/* The link of the reference at user address va: 0 or insanity code. */
static int ref_at(uint32_t va, struct link **out)
{
	struct object *r;
	int code = object_find(current->space, va, FLUKE_TYPE_REF, &r);
	if (!code)
		*out = &((struct ref *)r)->link;
	return code;
}

int sys_ref_copy(uint32_t dst, uint32_t src)
{
	struct link *d, *s;
	int code = ref_at(dst, &d);
	if (!code)
		code = ref_at(src, &s);
	if (code)
		return insanity(code);
	link_set(d, s->target);
	return FLUKE_SUCCESS;
}

int sys_ref_clear(uint32_t ref)
{
	struct link *l;
	int code = ref_at(ref, &l);
	if (code)
		return insanity(code);
	link_set(l, NULL);
	return FLUKE_SUCCESS;
}

int sys_ref_compare(uint32_t a, uint32_t b)
{
	struct link *la, *lb;
	int code = ref_at(a, &la);
	if (!code)
		code = ref_at(b, &lb);
	if (code)
		return insanity(code);
	return la->target == lb->target;
}

uint32_t sys_ref_hash(uint32_t ref)
{
	struct link *l;
	int code = ref_at(ref, &l);
	if (code)
		return insanity(code);
	return l->target ? l->target->hash : 0;
}

int sys_ref_type(uint32_t ref)
{
	struct link *l;
	int code = ref_at(ref, &l);
	if (code)
		return insanity(code);
	return l->target ? (int)l->target->type : FLUKE_TYPE_NONE;
}
