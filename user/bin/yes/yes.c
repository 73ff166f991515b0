/* yes [WORD]: WORD (y) on a line, for ever; it ends when nobody reads (a pipe's
 * reader gone: SIGPIPE) or by a signal (Ctrl-C). */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[512];
	const char *word = argc > 1 ? argv[1] : "y";
	int len = strlen(word), n = 0;
	if (len > 64)
		len = 64;
	while (n + len + 1 <= (int)sizeof(buf)) {
		memcpy(buf + n, word, len);
		buf[n + len] = '\n';
		n += len + 1;
	}
	while (write(1, buf, n) == n)
		;
	return 1;
}
