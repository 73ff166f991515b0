/* POSIX processes and descriptors, over the Process protocol of a process
 * manager (<fluke/process.h>, monitors/pm). Every call returns -1 and sets errno
 * (<errno.h>) when it fails; without a process manager they fail with ENOSYS,
 * except read and write of descriptors 0, 1 and 2, which use the Console. */
#ifndef FLUKE_UNISTD_H
#define FLUKE_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

/* A copy of the caller (its memory, descriptors and handlers; its first
 * thread only): the child's pid in the parent, 0 in the child. EAGAIN (the
 * process limit), ENOSYS (its memory holds objects that cannot be copied). */
pid_t fork(void);
pid_t getpid(void);
pid_t getppid(void);
pid_t getpgrp(void);
/* pid 0: the caller; pgid 0: pid. ESRCH (not the caller or a child of it),
 * EPERM (no such group), EINVAL. */
int setpgid(pid_t pid, pid_t pgid);
/* The console's foreground group (Ctrl-C sends it SIGINT); fd is ignored. */
int tcsetpgrp(int fd, pid_t pgid);
/* Replace the caller's program (it keeps its pid, descriptors and ignored
 * signals). ENOENT (no such program), ENOEXEC, E2BIG. */
int execv(const char *path, char *const argv[]);
void _exit(int status) __attribute__((noreturn));

/* At most one message's worth (1024 bytes) per call; 0 at the end of a file or
 * a pipe nobody writes. EBADF, EFAULT, EINTR, EPIPE (write: nobody reads; the
 * writer also gets SIGPIPE). */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int dup(int fd);
int dup2(int fd, int newfd);
/* fds[0] reads what fds[1] writes. EFAULT, EMFILE, ENFILE. */
int pipe(int fds[2]);

#endif
