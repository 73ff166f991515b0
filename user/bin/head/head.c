/* head [-N] [FILE]: the first N lines (10) of the file (none: the standard
 * input). */
#include <fluke/reader.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static struct fluke_reader r;
	static char line[256];
	int count = 10, arg = 1, n;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		count = atoi(argv[1] + 1);
		arg = 2;
	}
	const char *name = argc > arg ? argv[arg] : 0;
	if (fluke_reader_open(&r, name) < 0) {
		printf("head: %s: no such file\n", name);
		return 1;
	}
	while (count > 0 && (n = fluke_reader_line(&r, line, sizeof(line))) > 0) {
		printf("%s", line);
		count -= line[n - 1] == '\n';
	}
	return 0;
}
