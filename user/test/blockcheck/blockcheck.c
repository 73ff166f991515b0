/*
 * blockcheck [MODE]: the Block protocol (<fluke/block.h>) against the swap disk,
 * at whatever depth it runs (the root serves it; a nest forwards it). Modes:
 *   (none)   the whole check, on a fresh (zero) disk, each part a record:
 *            blockcheck-size     SIZE answers, the same twice, nonzero
 *            blockcheck-rw       patterns written to the first, last and middle
 *                                sectors (one and FLUKE_BLOCK_MAX a request, and a
 *                                longer run the stubs split) read back; a sector
 *                                never written reads as zeros; rewriting changes it
 *            blockcheck-range    requests built by hand: past the end, straddling
 *                                it, count 0, count over FLUKE_BLOCK_MAX, first +
 *                                count wrapping, an unknown op: FLUKE_INVALID_ARGUMENT
 *            blockcheck-malformed  a WRITE whose data is shorter or longer than its
 *                                count says is refused and changes nothing
 *            and prints "blockcheck: N sectors, all checks passed"
 *   none     the boot has no swap disk: SIZE, READ and WRITE get FLUKE_NOT_FOUND
 *   bench    METRIC block-bench sectors=N block_read_tsc=N block_write_tsc=N: guest
 *            counts per one-sector READ and WRITE, each a request to the root
 *            (make bench)
 */
#include <stdio.h>
#include <string.h>
#include <fluke/block.h>
#include <fluke/parent.h>
#include <fluke/tsc.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>

#define SECTOR		FLUKE_BLOCK_SECTOR
#define RUN		5		/* sectors in the run the stubs split */
#define BENCH_OPS	64

static uint32_t sectors;
static char buf[RUN * SECTOR], got[RUN * SECTOR];

/* The byte at offset i of sector s in pattern round r. */
static char pattern_byte(uint32_t s, uint32_t i, uint32_t r)
{
	return (char)(s * 7 + i * 13 + (i >> 8) + r * 101 + (s >> 8) * 3 + 1);
}

static void fill(char *p, uint32_t first, uint32_t count, uint32_t r)
{
	for (uint32_t s = 0; s < count; s++)
		for (uint32_t i = 0; i < SECTOR; i++)
			p[s * SECTOR + i] = pattern_byte(first + s, i, r);
}

/* Write pattern r to [first, first + count) and read it back. */
static int round_trip(uint32_t first, uint32_t count, uint32_t r)
{
	fill(buf, first, count, r);
	memset(got, 0, sizeof(got));
	return fluke_block_write(first, count, buf) == FLUKE_SUCCESS &&
	       fluke_block_read(first, count, got) == FLUKE_SUCCESS &&
	       memcmp(buf, got, count * SECTOR) == 0;
}

/* One Block request built by hand (the stubs would never send it): its status. */
static int raw(uint32_t op, uint32_t first, uint32_t count, const char *data, uint32_t len)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_BLOCK);
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, op);
	rpc->out.arg[0] = first;
	rpc->out.arg[1] = count;
	if (len)
		fluke_rpc_put(rpc, data, len);
	return fluke_rpc_call(port, rpc);
}

static void check_size(void)
{
	uint32_t again;
	CHECK("blockcheck-size", fluke_block_size(&sectors) == FLUKE_SUCCESS);
	CHECK("blockcheck-size", sectors > 2 * RUN);
	CHECK("blockcheck-size", fluke_block_size(&again) == FLUKE_SUCCESS && again == sectors);
	test_record("PASS", "blockcheck-size");
}

static void check_rw(void)
{
	uint32_t mid = sectors / 2;
	CHECK("blockcheck-rw", fluke_block_read(mid + RUN, 1, got) == FLUKE_SUCCESS);
	static const char zero[SECTOR];
	CHECK("blockcheck-rw", memcmp(got, zero, SECTOR) == 0);	/* never written */
	CHECK("blockcheck-rw", round_trip(0, 1, 0));
	CHECK("blockcheck-rw", round_trip(sectors - 1, 1, 0));
	CHECK("blockcheck-rw", round_trip(sectors - FLUKE_BLOCK_MAX, FLUKE_BLOCK_MAX, 1));
	CHECK("blockcheck-rw", round_trip(mid, RUN, 0));
	CHECK("blockcheck-rw", round_trip(mid + 1, 1, 2));	/* rewrite inside the run */
	fill(buf, mid, RUN, 0);
	fill(buf + SECTOR, mid + 1, 1, 2);
	CHECK("blockcheck-rw", fluke_block_read(mid, RUN, got) == FLUKE_SUCCESS);
	CHECK("blockcheck-rw", memcmp(buf, got, RUN * SECTOR) == 0);
	fill(buf, 0, 1, 0);					/* sector 0 kept its data */
	CHECK("blockcheck-rw", fluke_block_read(0, 1, got) == FLUKE_SUCCESS);
	CHECK("blockcheck-rw", memcmp(buf, got, SECTOR) == 0);
	test_record("PASS", "blockcheck-rw");
}

static void check_range(void)
{
	const uint32_t bad[][2] = {
		{ sectors, 1 }, { sectors - 1, 2 }, { 0xffffffffu, 1 }, { 0, 0 },
		{ 0, FLUKE_BLOCK_MAX + 1 }, { 0xffffffffu, 2 }, { 1, 0xffffffffu },
		{ 2, 0xfffffffeu },
	};
	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK("blockcheck-range", raw(FLUKE_BLOCK_READ, bad[i][0], bad[i][1], 0, 0) ==
					  FLUKE_INVALID_ARGUMENT);
		uint32_t len = bad[i][1] <= FLUKE_BLOCK_MAX ? bad[i][1] * SECTOR : SECTOR;
		CHECK("blockcheck-range", raw(FLUKE_BLOCK_WRITE, bad[i][0], bad[i][1], buf, len) ==
					  FLUKE_INVALID_ARGUMENT);
	}
	CHECK("blockcheck-range", raw(FLUKE_BLOCK_WRITE + 1, 0, 1, 0, 0) == FLUKE_INVALID_ARGUMENT);
	CHECK("blockcheck-range", raw(0, 0, 1, 0, 0) == FLUKE_INVALID_ARGUMENT);
	/* The stubs, too, refuse what passes the end. */
	CHECK("blockcheck-range", fluke_block_read(sectors - 1, 2, got) == FLUKE_INVALID_ARGUMENT);
	test_record("PASS", "blockcheck-range");
}

static void check_malformed(void)
{
	fill(buf, 0, 1, 0);
	memset(got, 0x5a, sizeof(got));
	CHECK("blockcheck-malformed", raw(FLUKE_BLOCK_WRITE, 0, 1, got, SECTOR - 1) ==
				      FLUKE_INVALID_ARGUMENT);
	CHECK("blockcheck-malformed", raw(FLUKE_BLOCK_WRITE, 0, 1, got, 2 * SECTOR) ==
				      FLUKE_INVALID_ARGUMENT);
	CHECK("blockcheck-malformed", raw(FLUKE_BLOCK_WRITE, 0, 2, got, SECTOR) ==
				      FLUKE_INVALID_ARGUMENT);
	CHECK("blockcheck-malformed", raw(FLUKE_BLOCK_WRITE, 0, 1, got, 0) ==
				      FLUKE_INVALID_ARGUMENT);
	CHECK("blockcheck-malformed", fluke_block_read(0, 1, got) == FLUKE_SUCCESS);
	CHECK("blockcheck-malformed", memcmp(buf, got, SECTOR) == 0);
	test_record("PASS", "blockcheck-malformed");
}

static int none(void)
{
	uint32_t n = 1;
	int size = fluke_block_size(&n), rd = fluke_block_read(0, 1, got);
	int wr = fluke_block_write(0, 1, buf);
	if (size != FLUKE_NOT_FOUND || n != 0 || rd != FLUKE_NOT_FOUND || wr != FLUKE_NOT_FOUND) {
		printf("blockcheck: expected no disk, got SIZE %d (%u sectors), READ %d, WRITE %d\n",
		       size, n, rd, wr);
		return 1;
	}
	printf("blockcheck: no disk: SIZE, READ and WRITE answer FLUKE_NOT_FOUND\n");
	return 0;
}

static int bench(void)
{
	if (fluke_block_size(&sectors) != FLUKE_SUCCESS) {
		printf("blockcheck: no disk to measure\n");
		return 1;
	}
	fill(buf, 0, 1, 0);
	uint64_t t0 = fluke_rdtsc();
	for (uint32_t i = 0; i < BENCH_OPS; i++)
		if (fluke_block_write(i, 1, buf) != FLUKE_SUCCESS)
			return 1;
	uint64_t t1 = fluke_rdtsc();
	for (uint32_t i = 0; i < BENCH_OPS; i++)
		if (fluke_block_read(i, 1, got) != FLUKE_SUCCESS)
			return 1;
	uint64_t t2 = fluke_rdtsc();
	test_record("METRIC", "block-bench sectors=%u block_read_tsc=%u block_write_tsc=%u",
		    BENCH_OPS, (uint32_t)((t2 - t1) / BENCH_OPS), (uint32_t)((t1 - t0) / BENCH_OPS));
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "none") == 0)
		return none();
	if (strcmp(mode, "bench") == 0)
		return bench();
	if (*mode) {
		printf("blockcheck: unknown mode '%s'; the modes are none and bench (or none "
		       "given: the whole check)\n", mode);
		return 2;
	}
	check_size();
	if (test_failures)
		return 1;
	check_rw();
	check_range();
	check_malformed();
	if (test_failures)
		return 1;
	printf("blockcheck: %u sectors, all checks passed\n", sectors);
	return 0;
}
