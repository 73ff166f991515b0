/*
 * Translation: from an address of a space down the chain mapping -> region ->
 * the region's space -> ... to a physical address, and revocation of the x86
 * PTEs that cache such translations. Both bound the chain at VM_DEPTH mappings.
 */
#ifndef KERN_VM_TRANSLATE_H
#define KERN_VM_TRANSLATE_H

#include "arch/mmu.h"
#include <fluke/abi/vm.h>
#include <stdint.h>

#define VM_DEPTH 16

struct space;
struct region;

/* Why a translation stopped. */
enum vm_stop {
	VM_STOP_NO_SPACE = 1,	/* the thread has no space, or a region's space link is null */
	VM_STOP_NOT_USER,	/* the address is in the kernel half */
	VM_STOP_NO_MAPPING,	/* no mapping covers the address */
	VM_STOP_NO_REGION,	/* the mapping's region link is null */
	VM_STOP_BEYOND,		/* past the end of the region (it shrank) */
	VM_STOP_PROT,		/* the access exceeds a mapping's or region's prot */
	VM_STOP_DEPTH,		/* the chain is longer than VM_DEPTH (or a cycle) */
};

/*
 * Where a translation stopped: what a region keeper is sent (ipc/keeper.c).
 * region is the region whose keeper is responsible: the one through which the
 * space without a mapping was reached, or whose prot or size refused the access
 * (NULL: it stopped in the first space, before any region).
 */
struct vm_fault {
	uint32_t va;		/* the address asked for, in the first space */
	uint32_t access;	/* FLUKE_PROT_* wanted */
	struct region *region;
	uint32_t offset;	/* in region */
	enum vm_stop why;
};

/* Translate va of s for access (FLUKE_PROT_*). 0: *pa is the physical address and
 * *prot the minimum of every prot on the chain; -1: it stopped, as f says (f may
 * be NULL). */
int vm_translate(struct space *s, uint32_t va, uint32_t access, paddr_t *pa, uint32_t *prot,
		 struct vm_fault *f);
/* vm_translate for the kernel's own accesses to s's memory, once s's page table
 * had no translation for them (vm/uaccess.c looks there first): the one the graph
 * gives is cached there, as a fault by s's own thread would. */
int vm_translate_cached(struct space *s, uint32_t va, uint32_t access, paddr_t *pa,
			uint32_t *prot, struct vm_fault *f);
/* What a present user PTE of a space grants, as install() cached it: x86 cannot
 * refuse reads, so READ and EXEC always; bit 9 stands for CREATE_OB. */
static inline uint32_t vm_pte_prot(pte_t e)
{
	return FLUKE_PROT_READ | FLUKE_PROT_EXEC | (e & PTE_W ? FLUKE_PROT_WRITE : 0) |
	       (e & PTE_CREATE_OB ? FLUKE_PROT_CREATE_OB : 0);
}
/* A user page fault at va (x86 error code err) of the current thread: 0 if the
 * translation is now cached in its page table, -1 if it stopped (where: in the
 * thread's fault record). */
int vm_page_fault(uint32_t va, uint32_t err);
/* Print where a translation stopped, for the unhandled-fault report. */
void vm_fault_report(const char *who, const struct vm_fault *f);
/* Translations of [va, va + len) of s may have changed: clear the PTEs caching
 * them there and, through the regions over s, in every space derived from it. */
void vm_revoke_space(struct space *s, uint32_t va, uint32_t len);
/* The same for [off, off + len) of region r. */
void vm_revoke_region(struct region *r, uint32_t off, uint32_t len);

#endif
