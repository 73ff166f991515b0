/* Reading a descriptor line by line (user/lib/reader.c), for the text programs
 * of user/bin (cat, wc, grep, head). */
#ifndef FLUKE_READER_H
#define FLUKE_READER_H

struct fluke_reader {
	int fd;
	int pos, len;		/* buf[pos, len) is read and not yet taken */
	char buf[1024];
};

/* Read from fd; "-" or NULL is descriptor 0, else the file name is opened.
 * 0, or -1 (errno set) if it cannot be opened. */
int fluke_reader_open(struct fluke_reader *r, const char *name);
/* The next line, its newline kept if it had one, NUL-terminated in line (size
 * bytes; a longer line comes in pieces): its length, 0 at the end, -1 on an
 * error (errno set). */
int fluke_reader_line(struct fluke_reader *r, char *line, int size);
/* Close what fluke_reader_open opened. */
void fluke_reader_close(struct fluke_reader *r);

#endif
