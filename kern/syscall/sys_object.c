/*
 * The generic object calls: create, destroy, move, reference, get_state and
 * set_state, for every type the kernel knows (kern/object/object.c). Misuse raises
 * insanity; every check comes before the first change, so an insane call changes
 * nothing.
 */
#include "syscall_decls.h"
#include "syscall/insanity.h"
#include "object/object.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "vm/uaccess.h"
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

int sys_object_create(int type, uint32_t addr, uint32_t hash, int use_hash)
{
	if (!object_ops(type))
		return insanity(FLUKE_INSANITY_INVALID_OBJECT);
	paddr_t pa;
	int code = object_slot(current->space, addr, 1, &pa);
	if (code)
		return insanity(code);
	if (object_at(pa))
		return insanity(FLUKE_INSANITY_OBJECT_EXISTS);
	return object_new(type, pa, hash, use_hash) ? FLUKE_SUCCESS : FLUKE_NO_MEMORY;
}

int sys_object_destroy(uint32_t addr)
{
	struct object *ob;
	int code = object_find(current->space, addr, FLUKE_TYPE_NONE, &ob);
	if (code)
		return insanity(code);
	object_destroy(ob);
	return FLUKE_SUCCESS;
}

int sys_object_move(uint32_t old_addr, uint32_t new_addr)
{
	struct object *ob;
	paddr_t pa;
	int code = object_find(current->space, old_addr, FLUKE_TYPE_NONE, &ob);
	if (!code)
		code = object_slot(current->space, new_addr, 1, &pa);
	if (code)
		return insanity(code);
	if (object_at(pa))
		return insanity(FLUKE_INSANITY_OBJECT_EXISTS);
	object_move(ob, pa);
	return FLUKE_SUCCESS;
}

int sys_object_reference(uint32_t addr, uint32_t ref)
{
	struct object *ob, *r;
	int code = object_find(current->space, addr, FLUKE_TYPE_NONE, &ob);
	if (!code)
		code = object_find(current->space, ref, FLUKE_TYPE_REF, &r);
	if (code)
		return insanity(code);
	if (!object_ops(ob->type)->referencable)
		return insanity(FLUKE_INSANITY_INVALID_OBJECT);
	link_set(&((struct ref *)r)->link, ob);
	return FLUKE_SUCCESS;
}

/* The references the user array links (n addresses; links 0: none) names; refs[i]
 * is NULL where links[i] is 0. 0 or insanity code. */
static int find_refs(uint32_t links, unsigned n, struct ref **refs)
{
	uint32_t addrs[OBJECT_LINKS_MAX] = { 0 };
	if (links && copy_from_user(current->space, addrs, links, n * sizeof(addrs[0])) < 0)
		return FLUKE_INSANITY_INVALID_ADDRESS;
	for (unsigned i = 0; i < n; i++) {
		struct object *r = NULL;
		int code = addrs[i] ? object_find(current->space, addrs[i], FLUKE_TYPE_REF, &r) : 0;
		if (code)
			return code;
		refs[i] = (struct ref *)r;
	}
	return 0;
}

/* The object at user address addr and the references its link array names. */
static int find_with_refs(uint32_t addr, uint32_t links, struct object **ob, struct ref **refs)
{
	int code = object_find(current->space, addr, FLUKE_TYPE_NONE, ob);
	return code ? code : find_refs(links, object_ops((*ob)->type)->nlinks, refs);
}

int sys_object_get_state(uint32_t addr, uint32_t state, uint32_t links)
{
	struct object *ob;
	struct ref *refs[OBJECT_LINKS_MAX];
	int code = find_with_refs(addr, links, &ob, refs);
	if (code)
		return insanity(code);
	const struct object_ops *ops = object_ops(ob->type);
	/* Checked before get_state, which stops a thread: an insane call changes nothing. */
	if (state && ops->state_size &&
	    uaccess_check(current->space, state, ops->state_size, FLUKE_PROT_WRITE) < 0)
		return insanity(FLUKE_INSANITY_INVALID_ADDRESS);

	uint32_t buf[OBJECT_STATE_MAX / sizeof(uint32_t)] = { 0 };
	struct object *targets[OBJECT_LINKS_MAX] = { 0 };
	buf[0] = ob->hash;
	code = ops->get_state(ob, buf, targets);
	if (code)
		return insanity(code);
	if (state && ops->state_size && copy_to_user(current->space, state, buf, ops->state_size) < 0)
		return insanity(FLUKE_INSANITY_INVALID_ADDRESS);
	for (unsigned i = 0; i < ops->nlinks; i++)
		if (refs[i])
			link_set(&refs[i]->link, targets[i]);
	return FLUKE_SUCCESS;
}

int sys_object_set_state(uint32_t addr, uint32_t state, uint32_t links)
{
	struct object *ob;
	struct ref *refs[OBJECT_LINKS_MAX];
	int code = find_with_refs(addr, links, &ob, refs);
	if (code)
		return insanity(code);
	const struct object_ops *ops = object_ops(ob->type);

	uint32_t buf[OBJECT_STATE_MAX / sizeof(uint32_t)];
	int have_state = state && ops->state_size;
	if (have_state && copy_from_user(current->space, buf, state, ops->state_size) < 0)
		return insanity(FLUKE_INSANITY_INVALID_ADDRESS);
	struct object *targets[OBJECT_LINKS_MAX] = { 0 };
	unsigned given = 0;
	for (unsigned i = 0; i < ops->nlinks; i++)
		if (refs[i]) {
			targets[i] = refs[i]->link.target;
			given |= 1u << i;
		}
	code = ops->set_state(ob, have_state ? buf : NULL, targets, given);
	return code ? insanity(code) : FLUKE_SUCCESS;
}
