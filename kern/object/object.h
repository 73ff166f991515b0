/*
 * Kernel objects in user memory. Each object occupies a FLUKE_OBJECT_SIZE slot of
 * user memory its creator chose; the kernel keys it by the PHYSICAL address of that
 * slot, so every space mapping the page sees the same object at its own address.
 * The kernel half of an object is a struct that begins with struct object (so a
 * pointer to one is a pointer to the other), allocated with kmem.
 * Invariants:
 *  - an object is in the table iff it is live, and no two live objects share a slot;
 *  - page_info(page)->objects counts the live objects whose slot is in that page;
 *  - ob->links lists exactly the links (kernel halves of references) that target ob;
 *  - ob->charge targets the space charged object_kmem(ob->type) bytes for ob (the
 *    space of the thread that created it; the first task's for boot objects), or
 *    is null if nothing is owed: no space was charged, or that space is gone.
 */
#ifndef KERN_OBJECT_OBJECT_H
#define KERN_OBJECT_OBJECT_H

#include "arch/mmu.h"
#include "object/link.h"
#include <fluke/abi/types.h>
#include <stddef.h>

struct space;

struct object {
	struct object *hnext;	/* hash-chain link */
	paddr_t pa;		/* physical address of its user slot */
	uint32_t hash;		/* immutable after creation */
	fluke_type_t type;
	struct link *links;	/* links that point to this object */
	struct link charge;	/* the space its kernel memory is charged to */
};

#define OBJECT_LINKS_MAX	5	/* most links any type has (a thread's) */
#define OBJECT_STATE_MAX	128	/* largest state struct, in bytes */

/*
 * What a type provides. Every state struct of nonzero size starts with the hash,
 * which object_get_state fills in and object_set_state ignores; the type handles
 * the rest. links[i] is the target of link slot i (NULL: none).
 */
struct object_ops {
	size_t size;		/* of the kernel struct */
	size_t state_size;	/* of the user state struct; 0: none */
	unsigned nlinks;	/* link slots in the state */
	int referencable;	/* object_reference may point a reference at it */
	/* Set up a new object: 0, or FLUKE_NO_MEMORY (NULL: nothing to do). */
	int (*init)(struct object *ob);
	/* Release what the object holds before it is freed (NULL: nothing). */
	void (*destroy)(struct object *ob);
	/* Fill in the state after the hash, and the link targets: 0 or an insanity code. */
	int (*get_state)(struct object *ob, void *state, struct object **links);
	/* Slot i of links counts only if bit i of given is set; state NULL: keep.
	 * Checks everything before changing anything: 0, or an insanity code. */
	int (*set_state)(struct object *ob, const void *state, struct object *const *links,
			 unsigned given);
};

extern const struct object_ops ref_ops, mutex_ops, cond_ops, port_ops, pset_ops, thread_ops;

/* The operations of type, or NULL if objects of that type cannot be created yet. */
const struct object_ops *object_ops(fluke_type_t type);
/* The physical address of the object slot at user address va of s; for creating
 * an object there (create), the page must also allow CREATE_OB. 0 or insanity code. */
int object_slot(struct space *s, uint32_t va, int create, paddr_t *pa);
/* The live object whose slot is at pa, or NULL. */
struct object *object_at(paddr_t pa);
/* The object at user address va of s, of the given type (FLUKE_TYPE_NONE: any).
 * 0 or insanity code. */
int object_find(struct space *s, uint32_t va, fluke_type_t type, struct object **out);
/* Bytes of kernel memory an object of type holds: its kernel half, plus a
 * space's page directory, or a thread's kernel stack and struct thread. */
uint32_t object_kmem(fluke_type_t type);
/* Charge ob's object_kmem to the current thread's space (at boot, to the first
 * task's), recording it in ob->charge: 0, or FLUKE_NO_MEMORY past the limit. */
int object_charge(struct object *ob);
/* A new object in the free slot at pa, charged as object_charge says; the kernel
 * picks the hash unless use_hash. NULL when memory or the charge limit is exhausted. */
struct object *object_new(fluke_type_t type, paddr_t pa, uint32_t hash, int use_hash);
/* Release ob: links to it become null, its charge is given back, then it is freed. */
void object_destroy(struct object *ob);
/* Move ob to the free slot at pa. */
void object_move(struct object *ob, paddr_t pa);
/* Destroy every object in the physical page at pa (before the page is freed). */
void object_destroy_page(paddr_t pa);

#endif
