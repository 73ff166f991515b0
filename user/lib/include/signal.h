/* Signals (a process manager's: monitors/pm). An exception of the process
 * becomes SIGSEGV (page fault, protection), SIGILL, SIGFPE or SIGTRAP; the
 * default action of those and of SIGINT, SIGTERM, SIGKILL, SIGPIPE, SIGUSR1/2,
 * SIGHUP, SIGQUIT, SIGABRT, SIGALRM and SIGSYS ends the process with the signal
 * in its wait status; SIGCHLD, SIGCONT and the stop signals (no job control yet)
 * are ignored. A handler runs on the process's first thread, through libc's
 * trampoline, and returns to where the process was. */
#ifndef FLUKE_SIGNAL_H
#define FLUKE_SIGNAL_H

#include <sys/types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGSYS		31
#define NSIG		32

typedef void (*sighandler_t)(int);
#define SIG_DFL		((sighandler_t)0)
#define SIG_IGN		((sighandler_t)1)
#define SIG_ERR		((sighandler_t)-1)

typedef unsigned int sigset_t;

struct sigaction {
	sighandler_t sa_handler;
	sigset_t sa_mask;	/* not kept: no signal is blocked */
	int sa_flags;		/* not kept */
};

/* -1 with errno EINVAL (a bad signal, or SIGKILL/SIGSTOP), ENOSYS. */
sighandler_t signal(int sig, sighandler_t handler);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
/* pid > 0: that process; 0: the caller's group; -1: every process but the
 * caller; < -1: group -pid. sig 0 only checks. -1 with errno ESRCH (nobody),
 * EINVAL (a bad signal), ENOSYS. */
int kill(pid_t pid, int sig);
int raise(int sig);

#endif
