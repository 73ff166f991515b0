/* wc [-l] [FILE]: lines, words and bytes of the file (none: the standard
 * input); -l: lines only. */
#include <fluke/reader.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	static struct fluke_reader r;
	static char line[256];
	int lines_only = argc > 1 && strcmp(argv[1], "-l") == 0;
	const char *name = argc > 1 + lines_only ? argv[1 + lines_only] : 0;
	unsigned lines = 0, words = 0, bytes = 0;
	int n, in_word = 0;
	if (fluke_reader_open(&r, name) < 0) {
		printf("wc: %s: no such file\n", name);
		return 1;
	}
	while ((n = fluke_reader_line(&r, line, sizeof(line))) > 0) {
		bytes += n;
		for (int i = 0; i < n; i++) {
			int space = line[i] == ' ' || line[i] == '\t' || line[i] == '\n';
			words += !space && !in_word;
			in_word = !space;
			lines += line[i] == '\n';
		}
	}
	fluke_reader_close(&r);
	if (lines_only)
		printf("%u\n", lines);
	else
		printf("%7u %7u %7u\n", lines, words, bytes);
	return n < 0;
}
