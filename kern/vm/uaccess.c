/*
 * The kernel's one door to user memory. Three ways through it, fastest first:
 *  - the space whose page table is loaded (the caller's own, in a system call):
 *    the CPU translates, in a copy loop whose faults trap.c hands to
 *    uaccess_fixup (vm/ucopy.S); a fault only means "take the slow way";
 *  - a translation the space's page table caches: read from the PTE, once a page;
 *  - the slow way: the memory graph (vm_translate_cached), which caches what it
 *    finds, so the next access takes one of the ways above.
 * All three agree: a present user PTE never grants more than the graph does now
 * (revocation clears PTEs first, vm/translate.c), and the CPU's checks (present,
 * CR0.WP for writes) are the PTE's. So a bad pointer gives -1 however it is
 * reached, never a kernel fault.
 */
#include "vm/uaccess.h"
#include "vm/translate.h"
#include "vm/region.h"
#include "vm/space.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include <fluke/abi/vm.h>
#include <string.h>

int uaccess_hw_copy(void *dst, const void *src, uint32_t n);
extern const char uaccess_copy_start[], uaccess_copy_end[], uaccess_copy_fault[];

struct uaccess_failure uaccess_failed;
uint64_t uaccess_epoch;

/* uaccess_pte for any space pointer (none: no PTE). */
static inline pte_t cached(struct space *s, uint32_t va, uint32_t access)
{
	return s ? uaccess_pte(s, va, access) : 0;
}

int uaccess_translate(struct space *s, uint32_t va, uint32_t access, paddr_t *pa,
		      uint32_t *prot)
{
	struct vm_fault f;
	pte_t e = cached(s, va, access);
	if (e) {
		*pa = PTE_ADDR(e) | (va & (PAGE_SIZE - 1));
		*prot = vm_pte_prot(e);
		return 0;
	}
	if (vm_translate_cached(s, va, access, pa, prot, &f) == 0)
		return 0;
	uaccess_failed.s = f.region && f.region->keeper.target ? s : NULL;
	uaccess_failed.va = va;
	uaccess_failed.access = access;
	return -1;
}

int uaccess_keepable(struct space *s, uint32_t *va, uint32_t *access)
{
	if (!s || uaccess_failed.s != s)
		return 0;
	*va = uaccess_failed.va;
	*access = uaccess_failed.access;
	uaccess_failed.s = NULL;
	return 1;
}

int uaccess_fixup(struct trapframe *tf)
{
	const char *at = (const char *)tf->eip;
	if (tf->trapno != T_PGFLT || at < uaccess_copy_start || at >= uaccess_copy_end ||
	    rcr2() >= USER_TOP)
		return 0;
	tf->eip = (uint32_t)uaccess_copy_fault;
	return 1;
}

/* Kernel address of user address va of s, if the chain allows the access. */
static uint8_t *user_byte(struct space *s, uint32_t va, uint32_t access)
{
	paddr_t pa;
	uint32_t prot;
	pte_t e = cached(s, va, access);
	if (e)
		return P2V(PTE_ADDR(e) | (va & (PAGE_SIZE - 1)));
	if (uaccess_translate(s, va, access, &pa, &prot) < 0)
		return NULL;
	return P2V(pa);
}

/* Bytes from va to the end of its page, at most len. */
static size_t in_page(uint32_t va, size_t len)
{
	size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return n < len ? n : len;
}

int uaccess_check(struct space *s, uint32_t va, size_t len, uint32_t access)
{
	for (size_t n; len > 0; va += n, len -= n) {
		n = in_page(va, len);
		if (!user_byte(s, va, access))
			return -1;
	}
	return 0;
}

/* Whether the CPU can make the accesses to [va, va + len) of s itself: s's page
 * table is the one loaded and the range is user memory. */
static int loaded(struct space *s, uint32_t va, size_t len)
{
	return s && s->pgdir && rcr3() == s->pgdir_pa && va < USER_TOP && len <= USER_TOP - va;
}

/* Copy between kbuf and [uaddr, uaddr + len) of s, the user bytes allowing access
 * (to user: FLUKE_PROT_WRITE). Only an access the copy itself makes goes through
 * the CPU: it cannot check writing while it reads. */
static int copy(struct space *s, uint8_t *kbuf, uint32_t uaddr, size_t len, int to_user,
		uint32_t access)
{
	if (access == (to_user ? FLUKE_PROT_WRITE : FLUKE_PROT_READ) && loaded(s, uaddr, len) &&
	    (to_user ? uaccess_hw_copy((void *)uaddr, kbuf, len)
		     : uaccess_hw_copy(kbuf, (const void *)uaddr, len)) == 0)
		return 0;
	/* Else, or after a fault: page by page, through the PTE or the graph (which
	 * knows why an access fails, and caches what it finds). */
	for (size_t n; len > 0; kbuf += n, uaddr += n, len -= n) {
		uint8_t *k = user_byte(s, uaddr, access);
		if (!k)
			return -1;
		n = in_page(uaddr, len);
		if (to_user)
			memcpy(k, kbuf, n);
		else
			memcpy(kbuf, k, n);
	}
	return 0;
}

int copy_from_user(struct space *s, void *dst, uint32_t src, size_t len)
{
	return copy(s, dst, src, len, 0, FLUKE_PROT_READ);
}

int copy_from_user_writable(struct space *s, void *dst, uint32_t src, size_t len)
{
	return copy(s, dst, src, len, 0, FLUKE_PROT_WRITE);
}

int copy_to_user(struct space *s, uint32_t dst, const void *src, size_t len)
{
	return copy(s, (uint8_t *)src, dst, len, 1, FLUKE_PROT_WRITE);
}

int copy_user_to_user(struct space *ds, uint32_t dst, struct space *ss, uint32_t src, size_t len)
{
	/* The usual case, a short message: one page each side, both cached. */
	uint8_t *dw = uaccess_window(ds, dst, len, FLUKE_PROT_WRITE);
	const uint8_t *sw = dw ? uaccess_window(ss, src, len, FLUKE_PROT_READ) : NULL;
	if (sw) {
		memcpy(dw, sw, len);
		return 0;
	}
	for (size_t n; len > 0; dst += n, src += n, len -= n) {
		uint8_t *from = user_byte(ss, src, FLUKE_PROT_READ);
		uint8_t *to = from ? user_byte(ds, dst, FLUKE_PROT_WRITE) : NULL;
		if (!to)
			return -1;
		n = in_page(dst, in_page(src, len));
		memcpy(to, from, n);
	}
	return 0;
}
