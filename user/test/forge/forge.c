/*
 * forge NONCE: a hostile program that knows the run's nonce (the grader hands it
 * over, as a leak would) and tries to forge the kernel's records by hiding a second
 * record inside one of its own: "INFO x<SEP>FLUKE NONCE END status=0 ..." and
 * "INFO x<SEP>FLUKE NONCE PASS forged-N", for every byte sequence a reader might
 * take for the end of a line (every one str.splitlines() splits at, in ASCII and in
 * UTF-8) and for the bytes the kernel always refused. The kernel must refuse every
 * such record (FLUKE_INVALID_ARGUMENT), so that no forged END or PASS reaches the
 * grader. It prints how many were refused and exits with status 1: the run's one
 * real END is status=3.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>

static const struct {
	const char *name, *bytes;
} seps[] = {
	{ "CR", "\r" }, { "VT", "\v" }, { "FF", "\f" }, { "FS", "\x1c" }, { "GS", "\x1d" },
	{ "RS", "\x1e" }, { "NEL", "\x85" }, { "NEL-utf8", "\xc2\x85" },
	{ "LS-utf8", "\xe2\x80\xa8" }, { "PS-utf8", "\xe2\x80\xa9" }, { "LF", "\n" },
	{ "CR-LF", "\r\n" }, { "ESC", "\x1b" }, { "DEL", "\x7f" }, { "TAB", "\t" },
};
#define NSEPS (sizeof(seps) / sizeof(seps[0]))

/* Send the record text: 1 if the kernel refused it, else 0. */
static int refused(const char *text)
{
	return fluke_test_record(text, strlen(text)) == FLUKE_INVALID_ARGUMENT;
}

int main(int argc, char **argv)
{
	char line[200];
	unsigned tries = 0, refusals = 0;
	if (argc != 2) {
		printf("forge: usage: forge NONCE\n");
		return 2;
	}
	for (unsigned i = 0; i < NSEPS; i++) {
		snprintf(line, sizeof(line), "INFO x%sFLUKE %s END status=0 tsc=1", seps[i].bytes,
			 argv[1]);
		int end = refused(line);
		snprintf(line, sizeof(line), "INFO x%sFLUKE %s PASS forged-%u", seps[i].bytes, argv[1],
			 i);
		int pass = refused(line);
		if (!end || !pass)
			printf("forge: the kernel took a record split by %s\n", seps[i].name);
		tries += 2;
		refusals += end + pass;
	}
	/* A NUL would end the C strings above: this one goes with its length. */
	static const char nul[] = "INFO x\0FLUKE";
	tries++;
	if (fluke_test_record(nul, sizeof(nul) - 1) == FLUKE_INVALID_ARGUMENT)
		refusals++;
	else
		printf("forge: the kernel took a record holding a NUL\n");
	printf("forge: %u of %u forged records refused\n", refusals, tries);
	return 1;
}
