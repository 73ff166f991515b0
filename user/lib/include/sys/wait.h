/* Waiting for child processes (a process manager's: monitors/pm). A wait status
 * holds an exit status in bits 8..15 (low 7 bits 0), or the signal that ended
 * the process in its low 7 bits. */
#ifndef FLUKE_SYS_WAIT_H
#define FLUKE_SYS_WAIT_H

#include <sys/types.h>

#define WNOHANG		1

#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0)
#define WTERMSIG(s)	((s) & 0x7f)

/* pid > 0: that child; -1: any child; < -1: any child in group -pid; 0: any in
 * the caller's group. Returns the child's pid (0: WNOHANG and none has ended),
 * or -1 with errno ECHILD (no such child), EINVAL (bad options), ENOSYS. */
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
