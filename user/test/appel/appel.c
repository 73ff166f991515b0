/*
 * appel: the virtual-memory primitives of Appel and Li (ASPLOS '91) as a Fluke
 * program sees them, in guest instructions (rdtsc under -icount), over N pages of
 * MemPool memory the program maps one page per mapping so it can protect each:
 *   PROT1   protect one page (fluke_mapping_protect, read only)
 *   PROTN   protect N pages (N calls), per page
 *   UNPROT  make one page writable again
 *   TRAP    a write to a protected page, to this thread's exception handler (which
 *           unprotects it) and back: what an unprotect does not cost
 *   APPEL1  per page: a write traps, the handler unprotects it and protects another
 *   APPEL2  protect N pages, then per page: a write traps, the handler unprotects it
 * Under a pager the region's keeper is the pager, which hears every such trap
 * first (the child's own mapping refuses the write) and passes it on; under the
 * root or nest there is no keeper and the trap goes straight to the handler.
 * METRIC appel pages=N prot1=… protn=… unprot=… trap=… appel1=… appel2=…
 */
#include <stdio.h>
#include <fluke/mempool.h>
#include <fluke/exception.h>
#include <fluke/space.h>
#include <fluke/start.h>
#include <fluke/ref.h>
#include <fluke/tsc.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define N	100
#define VA	0x60000000u
#define PAGE	4096u
#define RW	(FLUKE_PROT_READ | FLUKE_PROT_WRITE)

static fluke_ref_t region;
static fluke_mapping_t maps[N];
static int appel1;		/* the handler also protects the page before */
static uint32_t traps;

static void protect(uint32_t i, uint32_t prot)
{
	fluke_mapping_protect(&maps[i], prot);
}

static void handler(uint32_t exc, uint32_t code, uint32_t addr)
{
	uint32_t i = (addr - VA) / PAGE;
	(void)exc, (void)code;
	traps++;
	protect(i, RW);
	if (appel1)
		protect((i + N - 1) % N, FLUKE_PROT_READ);
}

static void write_page(uint32_t i)
{
	*(volatile uint32_t *)(VA + i * PAGE) = i;
}

/* Instructions of protecting every page with prot, per page. */
static uint64_t all(uint32_t prot)
{
	uint64_t t0 = fluke_rdtsc();
	for (uint32_t i = 0; i < N; i++)
		protect(i, prot);
	return (fluke_rdtsc() - t0) / N;
}

int main(void)
{
	fluke_ref_create(&region);
	if (fluke_mempool_get(N * PAGE, &region) != FLUKE_SUCCESS) {
		printf("appel: no memory for %u pages\n", N);
		return 1;
	}
	for (uint32_t i = 0; i < N; i++) {
		fluke_mapping_state_t ms = { 0, i * PAGE, VA + i * PAGE, PAGE, RW };
		fluke_mapping_create(&maps[i]);
		fluke_mapping_set_state(&maps[i], &ms, &region, fluke_self_space());
		write_page(i);		/* every page there before anything is measured */
	}
	fluke_exception_handler(handler);
	uint64_t t0 = fluke_rdtsc();
	protect(0, FLUKE_PROT_READ);
	uint64_t prot1 = fluke_rdtsc() - t0;
	protect(0, RW);
	uint64_t protn = all(FLUKE_PROT_READ);
	uint64_t unprot = all(RW);
	all(FLUKE_PROT_READ);
	t0 = fluke_rdtsc();
	for (uint32_t i = 0; i < N; i++)
		write_page(i);
	uint64_t trap = (fluke_rdtsc() - t0) / N - unprot;
	all(FLUKE_PROT_READ);
	appel1 = 1;
	t0 = fluke_rdtsc();
	for (uint32_t i = 0; i < N; i++)
		write_page(i);
	uint64_t a1 = (fluke_rdtsc() - t0) / N;
	appel1 = 0;
	all(RW);
	t0 = fluke_rdtsc();
	all(FLUKE_PROT_READ);
	for (uint32_t i = 0; i < N; i++)
		write_page(i);
	uint64_t a2 = (fluke_rdtsc() - t0) / N;
	printf("appel: %u pages, %u traps\n", N, traps);
	test_record("METRIC", "appel pages=%u prot1=%llu protn=%llu unprot=%llu trap=%llu "
		    "appel1=%llu appel2=%llu", N, (unsigned long long)prot1,
		    (unsigned long long)protn, (unsigned long long)unprot,
		    (unsigned long long)trap, (unsigned long long)a1, (unsigned long long)a2);
	return traps == 3 * N ? 0 : 1;
}
