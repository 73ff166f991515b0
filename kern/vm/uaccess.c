#include "vm/uaccess.h"
#include "vm/translate.h"
#include "vm/region.h"
#include <fluke/abi/vm.h>
#include <string.h>

/* The most recent failed access, if a keeper could make it succeed; s NULL: none.
 * Accesses that succeed (a transfer recording its progress) leave it alone. */
static struct {
	struct space *s;
	uint32_t va, access;
} keepable;

int uaccess_translate(struct space *s, uint32_t va, uint32_t access, paddr_t *pa,
		      uint32_t *prot)
{
	struct vm_fault f;
	if (vm_translate_cached(s, va, access, pa, prot, &f) == 0)
		return 0;
	keepable.s = f.region && f.region->keeper.target ? s : NULL;
	keepable.va = va;
	keepable.access = access;
	return -1;
}

int uaccess_keepable(struct space *s, uint32_t *va, uint32_t *access)
{
	if (!s || keepable.s != s)
		return 0;
	*va = keepable.va;
	*access = keepable.access;
	keepable.s = NULL;
	return 1;
}

void uaccess_forget(void)
{
	keepable.s = NULL;
}

/* Kernel address of user address va of s, if the chain allows the access. */
static uint8_t *user_byte(struct space *s, uint32_t va, uint32_t access)
{
	paddr_t pa;
	uint32_t prot;
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

static int copy(struct space *s, uint8_t *kbuf, uint32_t uaddr, size_t len, int to_user)
{
	for (size_t n; len > 0; kbuf += n, uaddr += n, len -= n) {
		uint8_t *k = user_byte(s, uaddr, to_user ? FLUKE_PROT_WRITE : FLUKE_PROT_READ);
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
	return copy(s, dst, src, len, 0);
}

int copy_to_user(struct space *s, uint32_t dst, const void *src, size_t len)
{
	return copy(s, (uint8_t *)src, dst, len, 1);
}
