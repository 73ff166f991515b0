/* Memory and string functions, shared by the kernel and user space. */
#include <string.h>
#include <stdint.h>

/* The string instructions move a word per step where they can: a byte step first
 * until dst is word aligned, whole words, then the bytes left. DF is cleared first
 * (a trap from a program that set it leaves it set in the kernel). */

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint32_t word = (unsigned char)c * 0x01010101u;
	if (n >= 8) {
		size_t head = -(uintptr_t)d & 3, words = (n - head) / 4;
		n = (n - head) & 3;
		__asm__ volatile("cld; rep stosb; movl %3, %%ecx; rep stosl"
				 : "+D"(d), "+c"(head) : "a"(word), "r"(words) : "memory");
	}
	__asm__ volatile("cld; rep stosb" : "+D"(d), "+c"(n) : "a"(word) : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		if (n >= 8) {
			size_t head = -(uintptr_t)d & 3, words = (n - head) / 4;
			n = (n - head) & 3;
			__asm__ volatile("cld; rep movsb; movl %3, %%ecx; rep movsl"
					 : "+D"(d), "+S"(s), "+c"(head) : "r"(words) : "memory");
		}
		__asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	} else {
		/* Overlapping, dst above src: from the last byte down. */
		d += n - 1;
		s += n - 1;
		__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n && *a && *a == *b; n--, a++, b++)
		;
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}
