/*
 * fsbulk: the FileSystem's READ_BULK (<fluke/fs.h>) against READ, on this
 * program's own file, through whatever monitors stand between it and the root:
 *   fsbulk-data     the whole file in READ_BULK pages, and a piece across a page
 *                   boundary at an odd offset, equal READ's bytes; at the end a
 *                   READ_BULK gives 0 bytes
 *   fsbulk-refused  an offset past the end, a max of 0 or over FLUKE_RPC_BULK_MAX:
 *                   FLUKE_INVALID_ARGUMENT; a bad handle: FLUKE_NOT_FOUND; a
 *                   buffer that is not this program's memory: an error, and the
 *                   file system answers on
 *   fsbulk-program  fluke_fs_load_program reads the file up to the end of its last
 *                   loaded segment: fewer bytes than the file, the same bytes
 * Then "fsbulk: N bytes in M READ_BULK requests; 0 failure(s)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/fs.h>
#include <fluke/proc.h>
#include <fluke/test.h>
#include <fluke/abi/error.h>

#define PIECE_AT	(FLUKE_RPC_BULK_MAX - 333)	/* a piece across a page boundary */
#define PIECE		1000

static const char *self;
static uint32_t handle, size, bulks;
static char *file;				/* the file, by READ */
static char page[FLUKE_RPC_BULK_MAX + 64];

static void data(void)
{
	const char *t = "fsbulk-data";
	uint32_t got;
	char *bulk = malloc(size);
	CHECK(t, bulk);
	for (uint32_t off = 0, max; off < size; off += got, bulks++) {
		max = size - off < FLUKE_RPC_BULK_MAX ? size - off : FLUKE_RPC_BULK_MAX;
		CHECK(t, fluke_fs_read_bulk(handle, off, bulk + off, max, &got) == FLUKE_SUCCESS);
		CHECK(t, got == max);
	}
	CHECK(t, memcmp(bulk, file, size) == 0);
	free(bulk);
	CHECK(t, fluke_fs_read_bulk(handle, PIECE_AT, page, PIECE, &got) == FLUKE_SUCCESS);
	CHECK(t, got == PIECE && memcmp(page, file + PIECE_AT, PIECE) == 0);
	CHECK(t, fluke_fs_read_bulk(handle, size, page, PIECE, &got) == FLUKE_SUCCESS && got == 0);
	test_record("PASS", "%s", t);
}

static void refused(void)
{
	const char *t = "fsbulk-refused";
	uint32_t got = 1;
	CHECK(t, fluke_fs_read_bulk(handle, size + 1, page, PIECE, &got) ==
		 FLUKE_INVALID_ARGUMENT && got == 0);
	CHECK(t, fluke_fs_read_bulk(handle, 0, page, 0, &got) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_fs_read_bulk(handle, 0, page, FLUKE_RPC_BULK_MAX + 1, &got) ==
		 FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_fs_read_bulk(0xffffu, 0, page, PIECE, &got) == FLUKE_NOT_FOUND);
	int rc = fluke_fs_read_bulk(handle, 0, (void *)0xc0000000u, PIECE, &got);
	CHECK(t, rc != FLUKE_SUCCESS && got == 0);
	rc = fluke_fs_read_bulk(handle, 0, (void *)0x1000u, PIECE, &got);
	CHECK(t, rc != FLUKE_SUCCESS && got == 0);
	CHECK(t, fluke_fs_read_bulk(handle, 0, page, PIECE, &got) == FLUKE_SUCCESS &&
		 got == PIECE && memcmp(page, file, PIECE) == 0);
	test_record("PASS", "%s", t);
}

static void program(void)
{
	const char *t = "fsbulk-program";
	const void *image;
	uint32_t n;
	CHECK(t, fluke_fs_load_program(self, &image, &n) == FLUKE_SUCCESS);
	CHECK(t, n == fluke_proc_image_size(file, size, size) && n < size);
	CHECK(t, memcmp(image, file, n) == 0);
	free((void *)image);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	uint32_t got;
	(void)argc;
	self = argv[0];
	if (fluke_fs_open(self, &handle) != FLUKE_SUCCESS ||
	    fluke_fs_stat(handle, &size) != FLUKE_SUCCESS || !(file = malloc(size))) {
		printf("fsbulk: cannot open my own file %s\n", self);
		return 1;
	}
	for (uint32_t off = 0; off < size; off += got) {
		if (fluke_fs_read(handle, off, file + off, size - off, &got) != FLUKE_SUCCESS ||
		    got == 0) {
			printf("fsbulk: READ of my own file failed at %u\n", off);
			return 1;
		}
	}
	data();
	refused();
	program();
	printf("fsbulk: %u bytes in %u READ_BULK requests; %d failure(s)\n", size, bulks,
	       test_failures);
	return test_failures != 0;
}
