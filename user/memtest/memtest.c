/*
 * memtest [N]: allocate N pages (default 64) with malloc, which gets them from the
 * parent's MemPool, write a pattern into every word, check it, free them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int main(int argc, char **argv)
{
	int pages = argc > 1 ? atoi(argv[1]) : 64;
	uint32_t words = (uint32_t)pages * 1024, bad = 0;
	uint32_t *mem = pages > 0 ? malloc(words * 4) : 0;
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
