/*
 * pagecheck MODE: what a demand pager (monitors/pager) must do, seen from its
 * child, which gets its memory from MemPool as ever and cannot tell the pager
 * is there but by MemPool STAT and COPY.
 *   random PAGES SEED  a seeded random walk over PAGES pages of one region: each
 *                      step checks every word of a page against the pattern of
 *                      the step that last wrote it, then writes a new one; at the
 *                      end every page is checked again (PASS pager-random);
 *   zeros PAGES        read every word of PAGES pages never written, twice, in
 *                      regions of at most what the pool has free: all zeros
 *                      (PASS pager-zeros), however few frames back them;
 *   cow                a region of 64 written pages and its MemPool COPY: each
 *                      side writes 8 pages of its own and sees its own data, the
 *                      pages neither wrote read the same on both sides, and the
 *                      pool backs exactly 16 more pages (STAT free), so the other
 *                      48 stay shared; a COPY sent again gets the same region
 *                      (PASS pager-cow, pager-cow-resend); and a COPY of a page
 *                      holding a kernel object, which the original then writes:
 *                      the object stays the original's, the copy has the bytes
 *                      (PASS pager-cow-objects);
 *   nocow              under a server without COPY (the root): it answers
 *                      FLUKE_INVALID_ARGUMENT (PASS pager-nocow);
 *   exhaust            a GET of more than the pool can back is refused with
 *                      FLUKE_NO_MEMORY; a child (pagecheck hog) that touches more
 *                      than can be backed is ended by its monitor (status 255)
 *                      while this program goes on; its memory comes back, and so
 *                      does a region given back with PUT (PASS pager-exhaust);
 *   hog                take two regions, each of all the pool has free, and
 *                      write every page of both: the second cannot be backed.
 * Regions are mapped at fixed addresses of their own (not malloc), so the only
 * memory of the pager's this program touches is what it checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/mempool.h>
#include <fluke/pages.h>
#include <fluke/space.h>
#include <fluke/start.h>
#include <fluke/ref.h>
#include <fluke/rpc.h>
#include <fluke/parent.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define WORDS		(FLUKE_PAGE_SIZE / 4)
#define MAX_PAGES	4096
#define REGION_VA(n)	(0x60000000u + (n) * 0x4000000u)	/* 64 MB apart */

static fluke_ref_t regions[4];
static fluke_mapping_t maps[4];
static uint8_t version[MAX_PAGES];	/* random: the step that last wrote each page */

/* Get region n of npages from MemPool and map it at REGION_VA(n): its words,
 * or NULL with *rc the error. */
static uint32_t *take(uint32_t n, uint32_t npages, int *rc)
{
	fluke_ref_create(&regions[n]);
	*rc = fluke_mempool_get(npages * FLUKE_PAGE_SIZE, &regions[n]);
	if (*rc != FLUKE_SUCCESS)
		return 0;
	fluke_mapping_state_t ms = { 0, 0, REGION_VA(n), npages * FLUKE_PAGE_SIZE,
				     FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB };
	fluke_mapping_create(&maps[n]);
	fluke_mapping_set_state(&maps[n], &ms, &regions[n], fluke_self_space());
	return (uint32_t *)REGION_VA(n);
}

/* Map region n (a reference already in regions[n]) of npages. */
static uint32_t *map(uint32_t n, uint32_t npages)
{
	fluke_mapping_state_t ms = { 0, 0, REGION_VA(n), npages * FLUKE_PAGE_SIZE,
				     FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB };
	fluke_mapping_create(&maps[n]);
	fluke_mapping_set_state(&maps[n], &ms, &regions[n], fluke_self_space());
	return (uint32_t *)REGION_VA(n);
}

static void give_back(uint32_t n)
{
	fluke_mapping_destroy(&maps[n]);
	fluke_mempool_put(&regions[n]);
	fluke_ref_destroy(&regions[n]);
}

/* The word i of page p written by step v. */
static uint32_t pattern(uint32_t p, uint32_t i, uint32_t v)
{
	return (p * 2654435761u) ^ (i * 40503u) ^ (v * 0x9e3779b9u) ^ 0x5a5a0000u;
}

static void fill(uint32_t *page, uint32_t p, uint32_t v)
{
	for (uint32_t i = 0; i < WORDS; i++)
		page[i] = pattern(p, i, v);
}

/* The words of page that do not hold page p's pattern of step v. */
static uint32_t bad(const uint32_t *page, uint32_t p, uint32_t v)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < WORDS; i++)
		n += page[i] != pattern(p, i, v);
	return n;
}

static uint32_t pool_free(void)
{
	uint32_t granted, free;
	fluke_mempool_stat(&granted, &free);
	return free / FLUKE_PAGE_SIZE;
}

static void random_walk(uint32_t npages, uint32_t seed)
{
	const char *t = "pager-random";
	uint32_t x = seed ? seed : 1, wrong = 0, steps = npages * 4;
	int rc;
	test_record("BEGIN", "%s", t);
	CHECK(t, npages > 0 && npages <= MAX_PAGES);
	uint32_t *mem = take(0, npages, &rc);
	CHECK(t, mem != 0);
	for (uint32_t s = 0; s < steps; s++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;	/* xorshift32 */
		uint32_t p = x % npages;
		/* Never written yet: zeros (version 0 is the untouched page). */
		if (version[p] == 0)
			for (uint32_t i = 0; i < WORDS; i++)
				wrong += mem[p * WORDS + i] != 0;
		else
			wrong += bad(mem + p * WORDS, p, version[p]);
		version[p] = version[p] == 255 ? 1 : version[p] + 1;
		fill(mem + p * WORDS, p, version[p]);
	}
	for (uint32_t p = 0; p < npages; p++)
		if (version[p])
			wrong += bad(mem + p * WORDS, p, version[p]);
	printf("pagecheck: random walk of %u steps over %u pages (seed %u), %u bad words\n", steps,
	       npages, seed, wrong);
	CHECK(t, wrong == 0);
	give_back(0);
	test_record("PASS", "%s", t);
}

static void zeros(uint32_t npages)
{
	const char *t = "pager-zeros";
	uint32_t chunk = pool_free(), wrong = 0, got = 0;
	int rc;
	test_record("BEGIN", "%s", t);
	CHECK(t, chunk > 0 && npages > 0 && npages <= 4 * chunk);
	uint32_t *mem[4];
	for (uint32_t n = 0; n < 4 && got < npages; n++, got += chunk) {
		mem[n] = take(n, npages - got < chunk ? npages - got : chunk, &rc);
		CHECK(t, mem[n] != 0);
	}
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t p = 0; p < npages; p++)
			for (uint32_t i = 0; i < WORDS; i++)
				wrong += mem[p / chunk][(p % chunk) * WORDS + i] != 0;
	printf("pagecheck: read %u untouched pages twice, %u words not zero\n", npages, wrong);
	CHECK(t, wrong == 0);
	for (uint32_t n = 0; n * chunk < npages; n++)
		give_back(n);
	test_record("PASS", "%s", t);
}

/* Send COPY of region 0 twice with one id: the same region both times. */
static void cow_resend(void)
{
	const char *t = "pager-cow-resend";
	static fluke_ref_t first;
	struct fluke_rpc *rpc = fluke_client_rpc();
	test_record("BEGIN", "%s", t);
	fluke_ref_create(&first);
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_COPY);
	fluke_rpc_stamp(rpc);
	fluke_ref_copy(&rpc->out_ref, &regions[0]);
	rpc->out_refs = 1;
	CHECK(t, fluke_rpc_call(fluke_service(FLUKE_SVC_MEMPOOL), rpc) == FLUKE_SUCCESS);
	fluke_ref_copy(&first, &rpc->in_ref);
	CHECK(t, fluke_rpc_call(fluke_service(FLUKE_SVC_MEMPOOL), rpc) == FLUKE_SUCCESS);
	CHECK(t, rpc->in_refs == 1 && fluke_ref_compare(&first, &rpc->in_ref));
	CHECK(t, fluke_mempool_put(&first) == FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
}

/* A reference in a page, COPY, and the original writes the page first: it keeps
 * its reference (a page holding objects is never shared), the copy has the
 * bytes written before the COPY. */
static void cow_objects(void)
{
	const char *t = "pager-cow-objects";
	int rc;
	test_record("BEGIN", "%s", t);
	uint32_t *a = take(2, 1, &rc);
	fluke_ref_t *ref = (fluke_ref_t *)a;
	CHECK(t, a && fluke_ref_create(ref) == 0 && fluke_ref_copy(ref, fluke_parent()) == 0);
	a[WORDS / 2] = 7;
	fluke_ref_create(&regions[3]);
	CHECK(t, fluke_mempool_copy(&regions[2], &regions[3]) == FLUKE_SUCCESS);
	uint32_t *b = map(3, 1);
	a[WORDS / 2] = 8;
	CHECK(t, b[WORDS / 2] == 7 && fluke_ref_compare(ref, fluke_parent()) == 1);
	give_back(3);
	give_back(2);
	test_record("PASS", "%s", t);
}

static void cow(void)
{
	const char *t = "pager-cow";
	const uint32_t n = 64;
	uint32_t wrong = 0;
	int rc;
	test_record("BEGIN", "%s", t);
	uint32_t *a = take(0, n, &rc);
	CHECK(t, a != 0);
	for (uint32_t p = 0; p < n; p++)
		fill(a + p * WORDS, p, 1);
	uint32_t before = pool_free();
	fluke_ref_create(&regions[1]);
	CHECK(t, fluke_mempool_copy(&regions[0], &regions[1]) == FLUKE_SUCCESS);
	uint32_t *b = map(1, n);
	for (uint32_t p = 0; p < n; p++)	/* the copy starts as the original */
		wrong += bad(b + p * WORDS, p, 1);
	for (uint32_t p = 0; p < 8; p++) {	/* each side writes 8 pages of its own */
		fill(a + p * WORDS, p, 2);
		fill(b + (8 + p) * WORDS, 8 + p, 3);
	}
	for (uint32_t p = 0; p < n; p++) {
		wrong += bad(a + p * WORDS, p, p < 8 ? 2 : 1);
		wrong += bad(b + p * WORDS, p, p >= 8 && p < 16 ? 3 : 1);
	}
	uint32_t after = pool_free();
	printf("pagecheck: cow of %u pages, each side wrote 8: %u bad words, %u pages copied, %u "
	       "shared\n", n, wrong, before - after, n - (before - after));
	CHECK(t, wrong == 0);
	CHECK(t, before - after == 16);
	test_record("PASS", "%s", t);
	cow_resend();
	cow_objects();
	give_back(1);
	give_back(0);
}

static void nocow(void)
{
	const char *t = "pager-nocow";
	int rc;
	test_record("BEGIN", "%s", t);
	CHECK(t, take(0, 4, &rc) != 0);
	fluke_ref_create(&regions[1]);
	rc = fluke_mempool_copy(&regions[0], &regions[1]);
	printf("pagecheck: COPY answered %d\n", rc);
	CHECK(t, rc == FLUKE_INVALID_ARGUMENT);
	give_back(0);
	test_record("PASS", "%s", t);
}

static void hog(void)
{
	uint32_t n = pool_free();
	int rc;
	uint32_t *a = take(0, n, &rc), *b = take(1, n, &rc);
	printf("pagecheck: hog has two regions of %u pages\n", n);
	if (!a || !b)
		return;
	for (uint32_t p = 0; p < 2 * n; p++)
		fill(p < n ? a + p * WORDS : b + (p - n) * WORDS, p, 1);
	printf("pagecheck: hog wrote them all\n");	/* should not happen */
}

static void exhaust(void)
{
	const char *t = "pager-exhaust";
	char *args[] = { "pagecheck", "hog", 0 };
	int rc, status;
	test_record("BEGIN", "%s", t);
	uint32_t free0 = pool_free();
	CHECK(t, free0 > 0 && free0 < MAX_PAGES);
	CHECK(t, take(0, free0 + 1, &rc) == 0 && rc == FLUKE_NO_MEMORY);
	fluke_ref_destroy(&regions[0]);
	int pid = spawn(2, args);
	CHECK(t, pid > 0 && spawn_wait(pid, &status) == 0);
	printf("pagecheck: hog ended with status %d; %u of %u pages free again\n", status,
	       pool_free(), free0);
	CHECK(t, status == 255);
	CHECK(t, pool_free() == free0);
	uint32_t *a = take(0, free0, &rc);	/* still served: all of it, every page */
	CHECK(t, a != 0);
	for (uint32_t p = 0; p < free0; p++)
		fill(a + p * WORDS, p, 4);
	uint32_t wrong = 0;
	for (uint32_t p = 0; p < free0; p++)
		wrong += bad(a + p * WORDS, p, 4);
	CHECK(t, wrong == 0 && pool_free() == 0);
	give_back(0);
	printf("pagecheck: after PUT %u of %u pages free\n", pool_free(), free0);
	CHECK(t, pool_free() == free0);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "random") == 0 && argc == 4)
		random_walk(atoi(argv[2]), atoi(argv[3]));
	else if (strcmp(mode, "zeros") == 0 && argc == 3)
		zeros(atoi(argv[2]));
	else if (strcmp(mode, "cow") == 0)
		cow();
	else if (strcmp(mode, "nocow") == 0)
		nocow();
	else if (strcmp(mode, "exhaust") == 0)
		exhaust();
	else if (strcmp(mode, "hog") == 0)
		hog();
	else {
		printf("pagecheck: unknown mode '%s'; the modes are: random PAGES SEED, zeros PAGES, cow, nocow, "
		       "exhaust, hog\n", mode);
		return 2;
	}
	printf("pagecheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
