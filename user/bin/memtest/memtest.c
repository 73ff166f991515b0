/*
 * memtest [N]: allocate N pages (default 64) with malloc, which gets them from the
 * parent's MemPool, write a pattern into every word, check it, free them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

/* Whether s is all decimal digits (and not empty). */
static int digits(const char *s)
{
	const char *p = s;
	while (*p >= '0' && *p <= '9')
		p++;
	return p != s && *p == '\0';
}

int main(int argc, char **argv)
{
	int pages = argc > 1 && digits(argv[1]) ? atoi(argv[1]) : argc > 1 ? 0 : 64;
	if (argc > 2 || pages <= 0 || pages > 0x40000) {
		printf("memtest: '%s' is not a number of pages from 1 to 262144; write e.g. "
		       "memtest 64\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	uint32_t words = (uint32_t)pages * 1024, bad = 0;
	uint32_t *mem = malloc(words * 4);
	if (!mem) {
		printf("memtest: cannot allocate %d pages\n", pages);
		return 1;
	}
	for (uint32_t i = 0; i < words; i++)
		mem[i] = i * 2654435761u;
	for (uint32_t i = 0; i < words; i++)
		bad += mem[i] != i * 2654435761u;
	free(mem);
	printf("memtest: %d pages, %u bad words\n", pages, bad);
	return bad != 0;
}
