/*
 * A space (Fluke's "task"): an address space. For now it holds the x86 page
 * directory; the region/mapping graph that fills it lazily arrives with the object
 * model. User addresses are [0, USER_TOP); the kernel half is shared by all.
 */
#ifndef KERN_VM_SPACE_H
#define KERN_VM_SPACE_H

#include "arch/mmu.h"

struct space {
	pde_t *pgdir;		/* kernel virtual address of the page directory */
	paddr_t pgdir_pa;
	uint32_t pages;		/* user pages and page tables this space holds */
};

/* 0 on success, -1 when memory is exhausted. */
int space_init(struct space *s);
/* Release the page directory, the page tables and every user page, destroying
 * the objects in each user page first. */
void space_release(struct space *s);
void space_activate(struct space *s);
/* The PTE for va, making its page table if create; NULL if none (or no memory). */
pte_t *space_pte(struct space *s, uint32_t va, int create);
/* Give the space a fresh zeroed page at va with perm (PTE_W, PTE_U); 0 or -1. */
int space_alloc_page(struct space *s, uint32_t va, uint32_t perm);

#endif
