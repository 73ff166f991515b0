/*
 * The object table: a hash table from the physical address of an object's slot
 * to its kernel half. Lookups from user addresses go through the resolver
 * (vm/translate.c): the memory must be writable by the caller (and, to create an
 * object, allow FLUKE_PROT_CREATE_OB as well).
 */
#include "object/object.h"
#include "object/link.h"
#include "vm/region.h"
#include "vm/space.h"
#include "thread/thread.h"
#include "vm/uaccess.h"
#include "mm/kmem.h"
#include "mm/pmem.h"
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

#define BUCKETS 256

static struct object *table[BUCKETS];
static uint32_t hashes_made;	/* kernel-chosen hashes handed out so far */

static const struct object_ops *const ops_by_type[FLUKE_TYPE_COUNT] = {
	[FLUKE_TYPE_THREAD] = &thread_ops,
	[FLUKE_TYPE_SPACE] = &space_ops,
	[FLUKE_TYPE_REGION] = &region_ops,
	[FLUKE_TYPE_MAPPING] = &mapping_ops,
	[FLUKE_TYPE_PORT] = &port_ops,
	[FLUKE_TYPE_PSET] = &pset_ops,
	[FLUKE_TYPE_MUTEX] = &mutex_ops,
	[FLUKE_TYPE_COND] = &cond_ops,
	[FLUKE_TYPE_REF] = &ref_ops,
};

/* Kernel memory an object holds besides its kernel half (freed with it). */
static const uint32_t held_by_type[FLUKE_TYPE_COUNT] = {
	[FLUKE_TYPE_THREAD] = KSTACK_SIZE + sizeof(struct thread),	/* the kernel thread */
	[FLUKE_TYPE_SPACE] = PAGE_SIZE,		/* its page directory */
};

static struct object **bucket(paddr_t pa)
{
	return &table[((pa >> 4) ^ (pa >> 12)) % BUCKETS];
}

const struct object_ops *object_ops(fluke_type_t type)
{
	return (unsigned)type < FLUKE_TYPE_COUNT ? ops_by_type[type] : NULL;
}

/* object_slot, always inline in object_find, which is on the path of every call
 * that names an object (object_at, small, gcc inlines by itself). */
static inline __attribute__((always_inline)) int slot(struct space *s, uint32_t va, int create,
						      paddr_t *pa)
{
	uint32_t prot;
	if (va & (FLUKE_OBJECT_SIZE - 1))
		return FLUKE_INSANITY_NOT_ALIGNED;
	/* The usual case: the slot's page is in s's page table already, which for a
	 * new object caches FLUKE_PROT_CREATE_OB too (PTE_CREATE_OB). An aligned slot
	 * lies in one page. */
	pte_t e = uaccess_pte(s, va, FLUKE_PROT_WRITE);
	if (e && (!create || (e & PTE_CREATE_OB))) {
		*pa = PTE_ADDR(e) | (va & (PAGE_SIZE - 1));
		return 0;
	}
	if (uaccess_translate(s, va, FLUKE_PROT_WRITE, pa, &prot) < 0)
		return FLUKE_INSANITY_INVALID_ADDRESS;
	if (create && !(prot & FLUKE_PROT_CREATE_OB))
		return FLUKE_INSANITY_INVALID_PROT;
	return 0;
}

int object_slot(struct space *s, uint32_t va, int create, paddr_t *pa)
{
	return slot(s, va, create, pa);
}

struct object *object_at(paddr_t pa)
{
	for (struct object *ob = *bucket(pa); ob; ob = ob->hnext)
		if (ob->pa == pa)
			return ob;
	return NULL;
}

int object_find(struct space *s, uint32_t va, fluke_type_t type, struct object **out)
{
	paddr_t pa;
	int code = slot(s, va, 0, &pa);
	if (code)
		return code;
	struct object *ob = object_at(pa);
	if (!ob)
		return FLUKE_INSANITY_NO_OBJECT;
	if (type != FLUKE_TYPE_NONE && ob->type != type)
		return FLUKE_INSANITY_NOT_TYPE(type);
	*out = ob;
	return 0;
}

static void table_insert(struct object *ob, paddr_t pa)
{
	ob->pa = pa;
	ob->hnext = *bucket(pa);
	*bucket(pa) = ob;
	page_info(pa)->objects++;
}

static void table_remove(struct object *ob)
{
	struct object **pp = bucket(ob->pa);
	while (*pp != ob)
		pp = &(*pp)->hnext;
	*pp = ob->hnext;
	page_info(ob->pa)->objects--;
}

uint32_t object_kmem(fluke_type_t type)
{
	return object_ops(type)->size + held_by_type[type];
}

int object_charge(struct object *ob)
{
	return space_charge(&ob->charge, object_kmem(ob->type));
}

struct object *object_new(fluke_type_t type, paddr_t pa, uint32_t hash, int use_hash)
{
	const struct object_ops *ops = object_ops(type);
	struct object *ob = kmem_alloc(ops->size);	/* zeroed */
	if (!ob)
		return NULL;
	ob->type = type;
	/* Multiplying by an odd constant is a bijection: distinct until 2^32 objects. */
	ob->hash = use_hash ? hash : ++hashes_made * 0x9e3779b1u;
	if (object_charge(ob) != 0 || (ops->init && ops->init(ob) != 0)) {
		space_uncharge(&ob->charge, object_kmem(type));
		kmem_free(ob, ops->size);
		return NULL;
	}
	table_insert(ob, pa);
	return ob;
}

void object_destroy(struct object *ob)
{
	const struct object_ops *ops = object_ops(ob->type);
	if (ops->destroy)
		ops->destroy(ob);
	space_uncharge(&ob->charge, object_kmem(ob->type));
	link_cut_all(ob);
	table_remove(ob);
	kmem_free(ob, ops->size);
}

void object_move(struct object *ob, paddr_t pa)
{
	table_remove(ob);
	table_insert(ob, pa);
}

void object_destroy_page(paddr_t pa)
{
	pa = PAGE_ROUND_DOWN(pa);
	for (uint32_t off = 0; page_info(pa)->objects > 0 && off < PAGE_SIZE;
	     off += FLUKE_OBJECT_SIZE) {
		struct object *ob = object_at(pa + off);
		if (ob)
			object_destroy(ob);
	}
}
