/* POSIX error numbers (the Linux values): libc's calls over the Process
 * protocol (<unistd.h>, <fluke/process.h>) return -1 and set errno to one. */
#ifndef FLUKE_ERRNO_H
#define FLUKE_ERRNO_H

extern int errno;

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define EROFS		30
#define EPIPE		32
#define ENOSYS		38

#endif
