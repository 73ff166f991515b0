/* grep [-v] TEXT [FILE]: the lines of the file (none: the standard input) that
 * hold TEXT (a fixed string; -v: that do not). Exit status 0 if a line was
 * printed, 1 if none, 2 on an error. */
#include <fluke/reader.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	static struct fluke_reader r;
	static char line[256];
	int invert = argc > 1 && strcmp(argv[1], "-v") == 0, found = 0, n;
	if (argc < 2 + invert) {
		printf("grep: write grep [-v] TEXT [FILE]\n");
		return 2;
	}
	const char *text = argv[1 + invert], *name = argc > 2 + invert ? argv[2 + invert] : 0;
	if (fluke_reader_open(&r, name) < 0) {
		printf("grep: %s: no such file\n", name);
		return 2;
	}
	while ((n = fluke_reader_line(&r, line, sizeof(line))) > 0) {
		if ((strstr(line, text) != 0) != invert) {
			printf("%s%s", line, line[n - 1] == '\n' ? "" : "\n");
			found = 1;
		}
	}
	fluke_reader_close(&r);
	return n < 0 ? 2 : !found;
}
