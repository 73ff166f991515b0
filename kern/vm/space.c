/*
 * Spaces as objects, the physical space, page tables and the kernel-memory
 * charges of spaces. Destroying a space detaches the mappings in it and the
 * regions over it (revoking every translation derived from those regions), lets
 * its threads go (kern/thread), then frees its page tables and directory.
 */
#include "vm/space.h"
#include "vm/region.h"
#include "vm/translate.h"
#include "vm/ioport.h"
#include "vm/uaccess.h"
#include "mm/kvm.h"
#include "mm/pmem.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "init/roottask.h"
#include "arch/x86.h"
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>
#include <string.h>

struct space phys_space;
struct vlist *all_spaces;

int space_charge(struct link *charge, uint32_t bytes)
{
	struct space *s = current ? current->space : roottask_space();
	if (!s)
		return 0;
	if (s->mem_used + bytes > s->mem_limit)
		return FLUKE_NO_MEMORY;
	s->mem_used += bytes;
	link_set(charge, &s->ob);
	return 0;
}

void space_uncharge(struct link *charge, uint32_t bytes)
{
	if (charge->target) {
		((struct space *)charge->target)->mem_used -= bytes;
		link_set(charge, NULL);
	}
}

pte_t *space_pte(struct space *s, uint32_t va, int create)
{
	pde_t *pde = &s->pgdir[PD_INDEX(va)];
	if (!(*pde & PTE_P)) {
		paddr_t pa;
		if (!create || va >= USER_TOP || s->mem_used + PAGE_SIZE > s->mem_limit ||
		    !(pa = page_alloc()))
			return NULL;
		*pde = pa | PTE_P | PTE_W | PTE_U;	/* the PTEs restrict access */
		s->mem_used += PAGE_SIZE;
	}
	pte_t *pt = P2V(PTE_ADDR(*pde));
	return &pt[PT_INDEX(va)];
}

static int space_init(struct object *ob)
{
	struct space *s = (struct space *)ob;
	paddr_t pa = page_alloc();	/* charged with s (object_kmem) */
	if (!pa)
		return FLUKE_NO_MEMORY;
	s->pgdir = P2V(pa);
	s->pgdir_pa = pa;
	/* A fair share: sixteen spaces can each use their whole limit. */
	s->mem_limit = pmem_pool_pages() * PAGE_SIZE / 16;
	/* No escape from a CPU budget by making a space: the rest of it comes along. */
	struct space *maker = current ? current->space : NULL;
	if (maker && maker->cpu_limit) {
		sched_charge_current();		/* what the maker has run until now */
		uint64_t left = maker->cpu_used < maker->cpu_limit
				? maker->cpu_limit - maker->cpu_used : 0;
		s->cpu_limit = left ? left : 1;
	}
	memcpy(&s->pgdir[PD_INDEX(KERNBASE)], &kern_pgdir[PD_INDEX(KERNBASE)],
	       (PT_ENTRIES - PD_INDEX(KERNBASE)) * sizeof(pde_t));
	vlist_insert(&all_spaces, &s->in_all);
	return 0;
}

static void space_destroy(struct object *ob)
{
	struct space *s = (struct space *)ob;
	while (s->regions) {
		struct region *r = VLIST_ENTRY(s->regions, struct region, in_space);
		vm_revoke_region(r, 0, r->size);
		vlist_remove(&r->in_space);
		r->space = NULL;
	}
	while (s->mappings) {
		struct mapping *m = VLIST_ENTRY(s->mappings, struct mapping, in_space);
		vlist_remove(&m->in_space);
		m->space = NULL;
	}
	s->by_va = NULL;
	threads_leave_space(s);
	roottask_space_destroyed(s);
	ioport_forget(s);
	if (rcr3() == s->pgdir_pa)
		lcr3(V2P(kern_pgdir));
	uaccess_epoch++;	/* windows onto its pages are stale */
	for (uint32_t i = 0; i < PD_INDEX(USER_TOP); i++)
		if (s->pgdir[i] & PTE_P)
			page_free(PTE_ADDR(s->pgdir[i]));
	page_free(s->pgdir_pa);
	vlist_remove(&s->in_all);
	link_set(&s->keeper, NULL);
}

static int space_get_state(struct object *ob, void *state, struct object **links)
{
	struct space *s = (struct space *)ob;
	fluke_space_state_t *st = state;
	sched_charge_current();		/* cpu_used up to now, if s is the caller's */
	st->mem_limit = s->mem_limit;
	st->mem_used = s->mem_used;
	st->cpu_limit = s->cpu_limit;
	st->cpu_used = s->cpu_used;
	links[0] = s->keeper.target;
	return 0;
}

/* The limits may only be lowered (a CPU limit of 0 is none, the highest): a
 * parent lowers its child's. */
static int space_set_state(struct object *ob, const void *state, struct object *const *links,
			   unsigned given)
{
	struct space *s = (struct space *)ob;
	const fluke_space_state_t *st = state;
	if ((given & 1) && links[0] && links[0]->type != FLUKE_TYPE_PORT)
		return FLUKE_INSANITY_NOT_PORT;
	if (st && (st->mem_limit > s->mem_limit ||
		   (s->cpu_limit && (!st->cpu_limit || st->cpu_limit > s->cpu_limit))))
		return FLUKE_INSANITY_INVALID_STATE;
	if (st) {
		s->mem_limit = st->mem_limit;
		s->cpu_limit = st->cpu_limit;
		space_cpu_check(s);
	}
	if (given & 1)
		link_set(&s->keeper, links[0]);
	return 0;
}

const struct object_ops space_ops = {
	.size = sizeof(struct space),
	.state_size = sizeof(fluke_space_state_t),
	.nlinks = 1,
	.referencable = 1,
	.init = space_init,
	.destroy = space_destroy,
	.get_state = space_get_state,
	.set_state = space_set_state,
};
