/* open(): files of the FileSystem (read only), through a process manager. */
#ifndef FLUKE_FCNTL_H
#define FLUKE_FCNTL_H

#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_ACCMODE	3
#define O_CREAT		0100
#define O_TRUNC		01000

/* The lowest free descriptor, or -1 with errno ENOENT (no such file), EROFS (the
 * file system is read only), EMFILE, ENFILE, ENOSYS. */
int open(const char *name, int flags, ...);

#endif
