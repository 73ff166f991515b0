#include "vm/space.h"
#include "mm/pmem.h"
#include "mm/kvm.h"
#include "object/object.h"
#include "arch/x86.h"
#include <string.h>

int space_init(struct space *s)
{
	paddr_t pa = page_alloc();
	if (!pa)
		return -1;
	s->pgdir = P2V(pa);
	s->pgdir_pa = pa;
	s->pages = 0;
	memcpy(&s->pgdir[PD_INDEX(KERNBASE)], &kern_pgdir[PD_INDEX(KERNBASE)],
	       (PT_ENTRIES - PD_INDEX(KERNBASE)) * sizeof(pde_t));
	return 0;
}

void space_release(struct space *s)
{
	for (uint32_t i = 0; i < PD_INDEX(USER_TOP); i++) {
		if (!(s->pgdir[i] & PTE_P))
			continue;
		pte_t *pt = P2V(PTE_ADDR(s->pgdir[i]));
		for (uint32_t j = 0; j < PT_ENTRIES; j++)
			if (pt[j] & PTE_P) {
				object_destroy_page(PTE_ADDR(pt[j]));
				page_free(PTE_ADDR(pt[j]));
			}
		page_free(PTE_ADDR(s->pgdir[i]));
	}
	if (rcr3() == s->pgdir_pa)
		lcr3(V2P(kern_pgdir));
	page_free(s->pgdir_pa);
	s->pgdir = NULL;
	s->pages = 0;
}

void space_activate(struct space *s)
{
	paddr_t pa = s ? s->pgdir_pa : V2P(kern_pgdir);
	if (rcr3() != pa)
		lcr3(pa);
}

pte_t *space_pte(struct space *s, uint32_t va, int create)
{
	pde_t *pde = &s->pgdir[PD_INDEX(va)];
	if (!(*pde & PTE_P)) {
		paddr_t pa;
		if (!create || va >= USER_TOP || !(pa = page_alloc()))
			return NULL;
		*pde = pa | PTE_P | PTE_W | PTE_U;	/* the PTEs restrict access */
		s->pages++;
	}
	pte_t *pt = P2V(PTE_ADDR(*pde));
	return &pt[PT_INDEX(va)];
}

int space_alloc_page(struct space *s, uint32_t va, uint32_t perm)
{
	pte_t *pte = space_pte(s, va, 1);
	if (!pte)
		return -1;
	if (*pte & PTE_P)
		return 0;
	paddr_t pa = page_alloc();
	if (!pa)
		return -1;
	*pte = pa | PTE_P | perm;
	s->pages++;
	return 0;
}
