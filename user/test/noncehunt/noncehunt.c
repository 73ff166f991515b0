/*
 * noncehunt [PAGES]: a hostile program that looks for the run's nonce, which would let
 * it forge the kernel's test records. It prints its arguments, then searches all the
 * memory it can read: as the first task, every area of its boot info (its stack with
 * the boot info and arguments, its program, the boot file system, the free memory);
 * as a monitor's child, its arguments and PAGES (default 256) pages from its MemPool.
 * It prints every word "nonce=..." it finds and every distinct run of exactly 16
 * lower-case hex digits (the grader's nonces are such runs), then exits 0. The test
 * (grade/lab0_kernel.py) checks that the grader's nonce is nowhere in that output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/abi/boot.h>
#include <fluke/pages.h>
#include <fluke/start.h>

#define NONCE_LEN	16
#define SHOWN_MAX	64

static char shown[SHOWN_MAX][NONCE_LEN + 1];	/* distinct runs printed so far */
static unsigned nshown, runs, keys;

static int hexdigit(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A run of exactly NONCE_LEN hex digits at p: print it unless printed already. */
static void found_run(const char *p, uint32_t va)
{
	runs++;
	for (unsigned i = 0; i < nshown; i++)
		if (memcmp(shown[i], p, NONCE_LEN) == 0)
			return;
	if (nshown == SHOWN_MAX)
		return;
	memcpy(shown[nshown], p, NONCE_LEN);
	printf("noncehunt: hex run '%s' at 0x%08x\n", shown[nshown++], (unsigned)va);
}

/* "nonce=" at p (n bytes readable from p): print what follows, up to 24 printable bytes. */
static void found_key(const char *p, uint32_t n, uint32_t va)
{
	char value[25];
	uint32_t len = 0;
	keys++;
	for (p += 6, n -= 6; len < n && len < 24 && p[len] > ' ' && p[len] < 0x7f; len++)
		value[len] = p[len];
	value[len] = '\0';
	printf("noncehunt: 'nonce=%s' at 0x%08x\n", value, (unsigned)va);
}

/* Where the 16-byte blocks of zeros from base + i end (at most at base + size). */
static uint32_t skip_zeros(const char *base, uint32_t i, uint32_t size)
{
	while (i + 16 <= size) {
		const uint32_t *w = (const uint32_t *)(base + i);
		if (w[0] | w[1] | w[2] | w[3])
			break;
		i += 16;
	}
	return i;
}

/* Search [base, base + size), which must be readable. Aligned blocks of zeros (most
 * of the free memory) are skipped 16 bytes at a time. */
static void search(const char *what, const char *base, uint32_t size)
{
	uint32_t run = 0;	/* hex digits just before the byte looked at */
	for (uint32_t i = 0; i < size; i++) {
		if (((uint32_t)base + i) % 16 == 0) {
			uint32_t next = skip_zeros(base, i, size);
			if (next != i) {
				if (run == NONCE_LEN)
					found_run(base + i - run, (uint32_t)base + i - run);
				run = 0;
				i = next - 1;
				continue;
			}
		}
		char c = base[i];
		if (hexdigit(c)) {
			run++;
			continue;
		}
		if (run == NONCE_LEN)
			found_run(base + i - run, (uint32_t)base + i - run);
		run = 0;
		if (c == 'n' && size - i >= 6 && memcmp(base + i, "nonce=", 6) == 0)
			found_key(base + i, size - i, (uint32_t)base + i);
	}
	if (run == NONCE_LEN)
		found_run(base + size - run, (uint32_t)base + size - run);
	printf("noncehunt: searched %s, %u bytes at 0x%08x\n", what, (unsigned)size,
	       (unsigned)base);
}

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		printf("noncehunt: argv[%d] = '%s'\n", i, argv[i]);
		search("an argument", argv[i], strlen(argv[i]));
	}
	struct fluke_boot_info *boot = fluke_boot();
	if (boot) {
		for (uint32_t i = 0; i < boot->nareas; i++) {
			const struct fluke_boot_area *a = &boot->areas[i];
			if (a->size && (a->prot & FLUKE_PROT_READ))
				search("a boot area", (const char *)a->start_va, a->size);
		}
	} else {
		uint32_t pages = argc > 1 ? (uint32_t)atoi(argv[1]) : 256;
		const char *mem = fluke_pages_get(pages);
		if (!mem) {
			printf("noncehunt: my MemPool gave me no %u pages\n", (unsigned)pages);
			return 1;
		}
		search("pages from my MemPool", mem, pages * FLUKE_PAGE_SIZE);
	}
	printf("noncehunt: done: %u words nonce=, %u runs of %d hex digits\n", keys, runs,
	       NONCE_LEN);
	return 0;
}
