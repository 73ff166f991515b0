#include "vm/uaccess.h"
#include "vm/translate.h"
#include <fluke/vm.h>
#include <string.h>

/* Kernel address of user address va of s, if the chain allows the access. */
static uint8_t *user_byte(struct space *s, uint32_t va, int write)
{
	paddr_t pa;
	uint32_t prot;
	if (vm_translate(s, va, write ? FLUKE_PROT_WRITE : FLUKE_PROT_READ, &pa, &prot, NULL) < 0)
		return NULL;
	return P2V(pa);
}

static int copy(struct space *s, uint8_t *kbuf, uint32_t uaddr, size_t len, int to_user)
{
	while (len > 0) {
		uint8_t *k = user_byte(s, uaddr, to_user);
		if (!k)
			return -1;
		size_t n = PAGE_SIZE - (uaddr & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		if (to_user)
			memcpy(k, kbuf, n);
		else
			memcpy(kbuf, k, n);
		kbuf += n;
		uaddr += n;
		len -= n;
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
