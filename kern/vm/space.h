/*
 * Spaces (Fluke's "task"): address spaces, and objects of FLUKE_TYPE_SPACE. A
 * space holds no memory of its own: its mappings import regions of other spaces,
 * and the x86 page directory only caches translations (kern/vm/translate.c).
 * The physical space (phys_space) is the kernel-internal bottom of every chain:
 * its address == the physical address; it is not in the object table.
 * Invariants:
 *  - s->mappings lists exactly the mappings whose space is s; they never overlap;
 *  - s->regions lists exactly the regions whose space is s;
 *  - a present user PTE of s translates an address some mapping of s covers,
 *    through the chain of mappings and regions as they are now (revocation in
 *    translate.c clears PTEs before any link of a chain changes);
 *  - s->mem_used is the bytes charged to s: object_kmem of every object whose
 *    charge link targets s (those its threads created; for the first task's space,
 *    also the kernel's boot objects), plus its own page tables. Destroying s
 *    nulls those links: nothing is given back to a space that is gone.
 *  - s->cpu_used is the time-stamp counts (guest instructions under -icount)
 *    during which a thread of s was current, up to the last time the scheduler
 *    charged current (a switch, a timer tick: thread/sched.c); once it reaches a
 *    nonzero s->cpu_limit, no thread of s runs user code again before its keeper
 *    has seen a FLUKE_EXC_CPU exception. s->cpu_spent says whether it has: set
 *    where either changes (it never clears, as cpu_used only grows and
 *    cpu_limit only falls), so that the way back to user mode tests one word. A
 *    space made by a thread of a budgeted space gets what is left of that budget.
 */
#ifndef KERN_VM_SPACE_H
#define KERN_VM_SPACE_H

#include "arch/mmu.h"
#include "arch/x86.h"
#include "mm/kvm.h"
#include "object/object.h"
#include "object/link.h"
#include "vm/vlist.h"
#include <fluke/abi/io.h>

struct space {
	struct object ob;	/* first: a space is an object */
	pde_t *pgdir;		/* kernel virtual address of the page directory; NULL: physical */
	paddr_t pgdir_pa;
	struct vlist *mappings;	/* struct mapping.in_space */
	struct mapping *by_va;	/* the same, of nonzero size, by address (vm/mtree.h) */
	struct vlist *regions;	/* struct region.in_space: regions exporting this space */
	struct link keeper;	/* port for exceptions no handler takes (ipc/keeper.c) */
	struct vlist in_all;	/* on all_spaces */
	uint32_t mem_limit;	/* bytes of kernel memory that may be charged to it */
	uint32_t mem_used;
	uint64_t cpu_limit;	/* time-stamp counts its threads may run; 0: no limit */
	uint64_t cpu_used;	/* counts during which one of its threads was current */
	int cpu_spent;		/* cpu_limit && cpu_used >= cpu_limit */
	uint32_t io_allow[FLUKE_IO_PORTS / 32];	/* I/O ports its threads may use (vm/ioport.c) */
	int io_any;		/* some bit of io_allow is set */
};

extern struct space phys_space;
extern struct vlist *all_spaces;	/* every space object (not phys_space) */
extern const struct object_ops space_ops;

/* Load s's page directory (the kernel's alone for NULL); inline: every thread
 * switch does (with ioport_activate, vm/ioport.h, for its I/O ports). */
static inline void space_activate(struct space *s)
{
	paddr_t pa = s && s->pgdir ? s->pgdir_pa : V2P(kern_pgdir);
	if (rcr3() != pa)
		lcr3(pa);
}
/* The PTE for va, making (and charging to s) its page table if create; NULL if none. */
pte_t *space_pte(struct space *s, uint32_t va, int create);

/* Charge bytes of kernel memory to the space of the current thread (at boot, the
 * first task's, once it exists), recording it in charge: 0, or FLUKE_NO_MEMORY
 * past that space's limit. */
int space_charge(struct link *charge, uint32_t bytes);
/* s's cpu_used or cpu_limit changed: keep cpu_spent. */
static inline void space_cpu_check(struct space *s)
{
	if (s->cpu_limit && s->cpu_used >= s->cpu_limit)
		s->cpu_spent = 1;
}
/* A thread of s was current for counts more time-stamp counts (s may be NULL: a
 * kernel thread, charged to nobody). */
static inline void space_charge_cpu(struct space *s, uint64_t counts)
{
	if (s) {
		s->cpu_used += counts;
		space_cpu_check(s);
	}
}
/* Whether s has spent its CPU budget: its threads take FLUKE_EXC_CPU on their way
 * back to user mode. */
static inline int space_cpu_spent(const struct space *s)
{
	return s && s->cpu_spent;
}
/* Give the charge back (to its space, if that still exists). */
void space_uncharge(struct link *charge, uint32_t bytes);

#endif
