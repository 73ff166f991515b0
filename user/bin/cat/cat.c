/* cat [FILE...]: copy each file (none, or "-": the standard input) to the
 * standard output. Exit status 1 if a file could not be read. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int copy(int fd)
{
	static char buf[1024];
	int n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return -1;
	return n;
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2)
		return copy(0) < 0;
	for (int i = 1; i < argc; i++) {
		int fd = argv[i][0] == '-' && !argv[i][1] ? 0 : open(argv[i], O_RDONLY);
		if (fd < 0 || copy(fd) < 0) {
			printf("cat: %s: cannot read it\n", argv[i]);
			status = 1;
		}
		if (fd > 0)
			close(fd);
	}
	return status;
}
