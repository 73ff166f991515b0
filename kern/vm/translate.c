/*
 * The resolver and revocation. Translation is lazy: a user page fault walks the
 * graph and caches the result in the faulting space's page table only; spaces in
 * the middle of a chain get no PTEs until their own threads touch the memory.
 * Revocation invariant: before any mapping, region or space link of a chain
 * changes (state, protection, destruction), every PTE derived through it is
 * cleared, so the page tables never grant more than the graph does now.
 * Write tracking (vm/region.h, r->dirty): a write through a tracked region sets
 * its page's bit; any other access to a page whose bit is clear gets no WRITE, so
 * no PTE lets its first write past unseen.
 */
#include "vm/translate.h"
#include "vm/region.h"
#include "vm/space.h"
#include "vm/uaccess.h"
#include "thread/thread.h"
#include "arch/x86.h"
#include "lib/printf.h"
#include <fluke/abi/vm.h>

/* Whether prot allows access. x86 cannot tell an instruction fetch from a read,
 * so EXEC allows reads; CREATE_OB counts only together with WRITE. */
static int permits(uint32_t prot, uint32_t access)
{
	if (prot & FLUKE_PROT_EXEC)
		prot |= FLUKE_PROT_READ;
	if (!(prot & FLUKE_PROT_WRITE))
		prot &= ~FLUKE_PROT_CREATE_OB;
	return (access & ~prot) == 0;
}

static int stop(struct vm_fault *f, struct region *r, uint32_t off, enum vm_stop why)
{
	if (f) {
		f->region = r;
		f->offset = off;
		f->why = why;
	}
	return -1;
}

int vm_translate(struct space *s, uint32_t va, uint32_t access, paddr_t *pa, uint32_t *prot,
		 struct vm_fault *f)
{
	uint32_t p = FLUKE_PROT_ALL, addr = va;
	struct region *via = NULL;	/* the region that led to s */
	uint32_t via_off = 0;
	if (f) {
		f->va = va;
		f->access = access;
	}
	if (s && s != &phys_space && va >= USER_TOP)
		return stop(f, NULL, 0, VM_STOP_NOT_USER);
	for (int depth = 0; depth <= VM_DEPTH; depth++) {
		if (!s)
			return stop(f, via, via_off, VM_STOP_NO_SPACE);
		if (s == &phys_space) {
			*pa = addr;
			*prot = p;
			return 0;
		}
		if (depth == VM_DEPTH)
			break;
		struct mapping *m = mapping_at(s, addr);
		if (!m)
			return stop(f, via, via_off, VM_STOP_NO_MAPPING);
		struct region *r = m->region;
		if (!r)
			return stop(f, NULL, 0, VM_STOP_NO_REGION);
		uint32_t off = addr - m->start_va + m->region_off;
		if (off >= r->size)
			return stop(f, r, off, VM_STOP_BEYOND);
		p &= m->prot & r->prot;
		if (!permits(p, access))
			return stop(f, r, off, VM_STOP_PROT);
		if (r->dirty) {
			uint32_t page = off / PAGE_SIZE, bit = 1u << (page % 32);
			if (access & FLUKE_PROT_WRITE)
				r->dirty[page / 32] |= bit;
			else if (!(r->dirty[page / 32] & bit))
				p &= ~FLUKE_PROT_WRITE;
		}
		via = r;
		via_off = off;
		s = r->space;
		addr = r->start_va + off;
	}
	return stop(f, via, via_off, VM_STOP_DEPTH);
}

static const char *const stop_names[] = {
	[VM_STOP_NO_SPACE] = "no space",
	[VM_STOP_NOT_USER] = "kernel address",
	[VM_STOP_NO_MAPPING] = "no mapping",
	[VM_STOP_NO_REGION] = "the mapping has no region",
	[VM_STOP_BEYOND] = "past the end of the region",
	[VM_STOP_PROT] = "access beyond the region's protection",
	[VM_STOP_DEPTH] = "chain deeper than 16",
};

/* Cache a translation in s's page table. 0, or -1 without memory for a table. */
static int install(struct space *s, uint32_t va, paddr_t pa, uint32_t prot)
{
	pte_t *pte = space_pte(s, va, 1);
	if (!pte)
		return -1;
	uint32_t bits = PTE_P | PTE_U;
	if (prot & FLUKE_PROT_WRITE)
		bits |= PTE_W;
	if (permits(prot, FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB))
		bits |= PTE_CREATE_OB;
	if ((*pte & PTE_P) && PTE_ADDR(*pte) != PAGE_ROUND_DOWN(pa))
		uaccess_epoch++;	/* a window onto the old page is stale */
	*pte = PAGE_ROUND_DOWN(pa) | bits;
	invlpg(va);
	return 0;
}

int vm_translate_cached(struct space *s, uint32_t va, uint32_t access, paddr_t *pa,
			uint32_t *prot, struct vm_fault *f)
{
	if (vm_translate(s, va, access, pa, prot, f) < 0)
		return -1;
	if (s && s != &phys_space && va < USER_TOP)
		install(s, va, *pa, *prot);	/* without memory for a table: not cached */
	return 0;
}

int vm_page_fault(uint32_t va, uint32_t err)
{
	struct space *s = current->space;
	uint32_t access = err & 2 ? FLUKE_PROT_WRITE : FLUKE_PROT_READ;
	struct vm_fault f;
	paddr_t pa;
	uint32_t prot;
	if (vm_translate(s, va, access, &pa, &prot, &f) == 0) {
		if (install(s, va, pa, prot) == 0)
			return 0;
		kprintf("vm: %s: no kernel memory for a page table at 0x%08x\n", current->name, va);
		return -1;
	}
	current->fault = f;
	return -1;
}

void vm_fault_report(const char *who, const struct vm_fault *f)
{
	kprintf("vm: %s: %s fault at 0x%08x stopped at region %08x offset 0x%x: %s\n",
		who, f->access == FLUKE_PROT_WRITE ? "write" : "read", f->va,
		f->region ? f->region->ob.hash : 0, f->offset, stop_names[f->why]);
}

/* [*lo, *hi) = [lo, hi) of both ranges (64-bit: ranges may end at 2^32); 0 if empty. */
static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen, uint64_t *lo,
		   uint64_t *hi)
{
	*lo = a > b ? a : b;
	*hi = a + alen < b + blen ? a + alen : b + blen;
	return *lo < *hi;
}

/* Space ranges one revocation may visit before it gives up walking the graph and
 * clears every space's PTEs instead (always correct: translations are rebuilt on
 * demand). Without it, regions mapped back into their own spaces several times
 * would make the walk exponential in VM_DEPTH. */
#define REVOKE_BUDGET 4096

static uint32_t budget;

static void revoke_region(struct region *r, uint32_t off, uint32_t len, int depth);

/* Clear s's PTEs over [va, va + len) (a page-aligned user range). */
static void clear_ptes(struct space *s, uint32_t va, uint32_t len)
{
	int cleared = 0;
	uint64_t end = (uint64_t)va + len < USER_TOP ? (uint64_t)va + len : USER_TOP;
	for (uint64_t a = va; a < end; a += PAGE_SIZE) {
		if (!(s->pgdir[PD_INDEX(a)] & PTE_P)) {
			a = (((a >> PD_SHIFT) + 1) << PD_SHIFT) - PAGE_SIZE;
			continue;
		}
		pte_t *pte = space_pte(s, (uint32_t)a, 0);
		cleared |= *pte & PTE_P;
		*pte = 0;
	}
	if (cleared)
		uaccess_epoch++;	/* windows onto those pages are stale */
	if (cleared && rcr3() == s->pgdir_pa)
		lcr3(s->pgdir_pa);
}

/* A chain reaching a PTE has at most VM_DEPTH mappings, so depth bounds the walk
 * (and ends cycles of regions mapped back into their own spaces). */
static void revoke_space(struct space *s, uint32_t va, uint32_t len, int depth)
{
	uint64_t lo, hi;
	if (!s || depth >= VM_DEPTH || budget == 0)
		return;
	budget--;
	if (s != &phys_space)
		clear_ptes(s, va, len);
	for (struct vlist *e = s->regions; e; e = e->next) {
		struct region *r = VLIST_ENTRY(e, struct region, in_space);
		if (overlap(r->start_va, r->size, va, len, &lo, &hi))
			revoke_region(r, lo - r->start_va, hi - lo, depth);
	}
}

static void revoke_region(struct region *r, uint32_t off, uint32_t len, int depth)
{
	uint64_t lo, hi;
	for (struct vlist *e = r->mappings; e; e = e->next) {
		struct mapping *m = VLIST_ENTRY(e, struct mapping, in_region);
		if (overlap(m->region_off, m->size, off, len, &lo, &hi))
			revoke_space(m->space, m->start_va + (lo - m->region_off), hi - lo, depth + 1);
	}
}

/* The budget ran out: forget every cached translation of every space. */
static void revoke_all(void)
{
	for (struct vlist *e = all_spaces; e; e = e->next)
		clear_ptes(VLIST_ENTRY(e, struct space, in_all), 0, USER_TOP);
}

void vm_revoke_space(struct space *s, uint32_t va, uint32_t len)
{
	budget = REVOKE_BUDGET;
	revoke_space(s, va, len, 0);
	if (budget == 0)
		revoke_all();
}

void vm_revoke_region(struct region *r, uint32_t off, uint32_t len)
{
	budget = REVOKE_BUDGET;
	revoke_region(r, off, len, 0);
	if (budget == 0)
		revoke_all();
}
