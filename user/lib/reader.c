/* Reading a descriptor line by line (<fluke/reader.h>). */
#include <fluke/reader.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int fluke_reader_open(struct fluke_reader *r, const char *name)
{
	r->pos = r->len = 0;
	r->fd = !name || strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
	return r->fd < 0 ? -1 : 0;
}

int fluke_reader_line(struct fluke_reader *r, char *line, int size)
{
	int n = 0;
	while (n < size - 1) {
		if (r->pos == r->len) {
			int got = read(r->fd, r->buf, sizeof(r->buf));
			if (got < 0)
				return -1;
			if (got == 0)
				break;
			r->pos = 0;
			r->len = got;
		}
		char c = r->buf[r->pos++];
		line[n++] = c;
		if (c == '\n')
			break;
	}
	line[n] = '\0';
	return n;
}

void fluke_reader_close(struct fluke_reader *r)
{
	if (r->fd > 0)
		close(r->fd);
}
