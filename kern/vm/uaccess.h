/*
 * Access to user memory from the kernel. Every pointer a user program passes is
 * used here: through the CPU's page tables where they already hold a translation,
 * else translated page by page by the same resolver as page faults
 * (vm/translate.c), so a bad pointer yields an error, never a kernel fault.
 *
 * A failed access is remembered when the translation stopped at a region that has
 * a keeper: the kernel may then ask that keeper on the caller's behalf and run the
 * call again (kern/ipc/keeper.c, keeper_defer_fault). Only the most recent failed
 * access counts.
 */
#ifndef KERN_VM_UACCESS_H
#define KERN_VM_UACCESS_H

#include "arch/mmu.h"
#include "vm/space.h"
#include <fluke/abi/vm.h>
#include <stddef.h>
#include <stdint.h>

struct space;
struct trapframe;

/* 0 on success, -1 if any byte is not accessible to user mode (with write access). */
int copy_from_user(struct space *s, void *dst, uint32_t src, size_t len);
int copy_to_user(struct space *s, uint32_t dst, const void *src, size_t len);
/* copy_from_user where every byte must be writable as well (params a call records
 * its progress in): one translation a page for both. */
int copy_from_user_writable(struct space *s, void *dst, uint32_t src, size_t len);
/* Copy len bytes from src of space ss to dst of space ds (either may be the
 * running one), page by page through their PTEs or the graph, with no bounce
 * buffer: 0, or -1 if an access fails (what moved before it stays). */
int copy_user_to_user(struct space *ds, uint32_t dst, struct space *ss, uint32_t src, size_t len);
/* The PTE of s's page table for user address va if it is present and allows the
 * access (FLUKE_PROT_WRITE needs PTE_W), else 0. Inline: the fast paths ask it. */
static inline pte_t uaccess_pte(const struct space *s, uint32_t va, uint32_t access)
{
	if (!s->pgdir || va >= USER_TOP)
		return 0;
	pde_t d = s->pgdir[PD_INDEX(va)];
	if (!(d & PTE_P))
		return 0;
	pte_t e = ((const pte_t *)P2V(PTE_ADDR(d)))[PT_INDEX(va)];
	if (!(e & PTE_P) || ((access & FLUKE_PROT_WRITE) && !(e & PTE_W)))
		return 0;
	return e;
}

/* A kernel pointer to [va, va + len) of s when the range lies in one page that s's page table already maps with the access: the fast
 * path's way to read and write a small user structure in place. NULL otherwise,
 * and the caller takes a slower way (which may fill the PTE). The pointer stays
 * good while no mapping of s changes: the caller uses it within the call, before
 * it blocks. */
static inline void *uaccess_window(const struct space *s, uint32_t va, size_t len,
				   uint32_t access)
{
	if (len > PAGE_SIZE - (va & (PAGE_SIZE - 1)))
		return NULL;
	pte_t e = uaccess_pte(s, va, access);
	return e ? P2V(PTE_ADDR(e) | (va & (PAGE_SIZE - 1))) : NULL;
}

/* Bumped whenever a present PTE of any space is cleared or changes its page, and
 * whenever a space's page tables are freed: a window taken at one epoch stays good
 * while the epoch is the same. 64 bits: it never wraps. */
extern uint64_t uaccess_epoch;

/* A window kept across calls, for one use (always the same len and access): the
 * fast path's view of a thread's params, which it finds at the same address call
 * after call. */
struct uaccess_kept {
	const struct space *s;
	uint32_t va;
	uint64_t epoch;
	void *p;
};

/* uaccess_window, through k: the one k keeps when it is for s and va and no PTE
 * has changed since (the common case, in three tests), else a new one, kept. */
static inline void *uaccess_window_kept(struct uaccess_kept *k, const struct space *s,
					uint32_t va, size_t len, uint32_t access)
{
	if (k->va != va || k->s != s || k->epoch != uaccess_epoch) {
		void *p = uaccess_window(s, va, len, access);
		if (!p)
			return NULL;
		k->s = s;
		k->va = va;
		k->epoch = uaccess_epoch;
		k->p = p;
	}
	return k->p;
}

/* 0 if every byte of [va, va + len) of s allows access (FLUKE_PROT_*), else -1. */
int uaccess_check(struct space *s, uint32_t va, size_t len, uint32_t access);
/* vm_translate for a user address the kernel is about to use for a call. */
int uaccess_translate(struct space *s, uint32_t va, uint32_t access, paddr_t *pa,
		      uint32_t *prot);

/* A kernel page fault (trap.c): 1 if it struck a copy to or from user memory,
 * which then returns -1 (tf now resumes there); 0 if it is a kernel bug. */
int uaccess_fixup(struct trapframe *tf);

/* The most recent failed access, if a keeper could make it succeed (s NULL:
 * none); accesses that succeed leave it alone. Read it through the calls below. */
struct uaccess_failure {
	struct space *s;
	uint32_t va, access;
};
extern struct uaccess_failure uaccess_failed;

/* If the most recent failed access was in s, at a region with a keeper: 1, with the
 * address and access, and it is forgotten; else 0. */
int uaccess_keepable(struct space *s, uint32_t *va, uint32_t *access);
/* Whether there is such an access at all (the system-call path's quick test). */
static inline int uaccess_any_keepable(void)
{
	return uaccess_failed.s != NULL;
}
/* Forget the most recent failed access (each system call starts so). */
static inline void uaccess_forget(void)
{
	uaccess_failed.s = NULL;
}

#endif
