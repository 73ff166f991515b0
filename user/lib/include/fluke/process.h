/*
 * The Process protocol: what a process manager (monitors/pm) serves beside the
 * Parent protocol, so that its children live in a POSIX-like world: pids local
 * to that manager, a parent process, process groups, file descriptors (console,
 * files of the FileSystem, pipes the manager serves) and signals. The port is
 * FLUKE_SVC_PROCESS's (<fluke/parent.h>); a monitor that is no process manager
 * answers every request FLUKE_NOT_FOUND, and libc's calls then fail with ENOSYS.
 *
 * Who asks is the port (the asker's own client), never a word of the request.
 * The reply's status is FLUKE_SUCCESS whenever the manager understood the
 * request; arg[3] then holds 0 or the POSIX errno of the failure (<errno.h>),
 * and the other words the results. A call that waits (a pipe READ or WRITE, a
 * WAITPID) waits in the manager, and is cut short by a signal delivered to the
 * asker meanwhile (the thread runs the handler and sends the request again).
 * When the manager has no server thread to spare, the status is
 * FLUKE_WOULD_BLOCK: yield and ask again (libc does).
 *
 * Resends: GETPID, PS, SIGACTION, SETPGID, TCSETPGRP, DUP2, CLOSE and KILL of a
 * signal already taken give the same answer when sent again, and FORK carries
 * a request id (the same child's pid again). READ, WRITE, OPEN, PIPE and
 * WAITPID carry a request id in arg2 too (<fluke/rpc.h>): the manager keeps
 * each process's latest of each kind with its answer (monitors/pm/asked.c), so
 * one sent again gets the first's answer and is not done twice (a WRITE is not
 * written twice, a WAITPID reaps one child, a READ gets the same bytes), even
 * while the first is still waiting in the manager; a WRITE whose serving gave
 * up half way (no thread to spare, a signal) goes on from where it stopped.
 * The Console WRITE and READ the manager serves get the same.
 */
#ifndef FLUKE_PROCESS_H
#define FLUKE_PROCESS_H

#include <fluke/rpc.h>

#define FLUKE_PROCESS_ERRNO	3	/* the word of the answer's errno */
#define FLUKE_PROCESS_FDS	16	/* descriptors per process */
#define FLUKE_PROCESS_SIGNALS	32	/* signals 1..31 */

enum {
	FLUKE_PROCESS_GETPID = 1,	/* -> arg0 pid, arg1 parent's pid, arg2 group */
	FLUKE_PROCESS_WAITPID,		/* arg0 pid (-1 any child, < -1 a group), arg1
					 * options, arg2 request -> arg0 pid (0: WNOHANG
					 * and none has ended), arg1 wait status */
	FLUKE_PROCESS_KILL,		/* arg0 pid (< 0 a group), arg1 signal (0: is it
					 * there?) */
	FLUKE_PROCESS_SIGACTION,	/* arg0 signal, arg1 handler (SIG_DFL, SIG_IGN or
					 * an address; ~0u: keep), arg2 the trampoline
					 * -> arg0 the old handler */
	FLUKE_PROCESS_SETPGID,		/* arg0 pid (0: the asker), arg1 group (0: = pid) */
	FLUKE_PROCESS_TCSETPGRP,	/* arg0 group: the console's foreground group (0:
					 * none, so Ctrl-C is a character) */
	FLUKE_PROCESS_READ,		/* arg0 fd, arg1 max, arg2 request -> data
					 * (none: end of file) */
	FLUKE_PROCESS_WRITE,		/* arg0 fd, arg2 request, data -> arg0 bytes
					 * written */
	FLUKE_PROCESS_OPEN,		/* arg0 flags, arg2 request, data the name ->
					 * arg0 fd */
	FLUKE_PROCESS_CLOSE,		/* arg0 fd */
	FLUKE_PROCESS_DUP2,		/* arg0 fd, arg1 new fd (~0u: the lowest free) ->
					 * arg0 the new fd */
	FLUKE_PROCESS_PIPE,		/* arg2 request -> arg0 read fd, arg1 write fd */
	FLUKE_PROCESS_EXEC,		/* arg0 argc, data the NUL-terminated words; no
					 * answer on success (the program is replaced) */
	FLUKE_PROCESS_PS,		/* arg0 index -> arg0 pid, arg1 parent, arg2 group,
					 * arg3 0, data "STATE NAME"; FLUKE_NOT_FOUND past
					 * the last */
	FLUKE_PROCESS_FORK,		/* arg0 where the child starts, arg1 its esp, arg2
					 * request -> arg0 the child's pid (the child, a
					 * copy of the asker, never gets this answer) */
};

/* The trampoline a handler runs through (user/lib/sigtramp.S): the manager
 * leaves, just below the interrupted esp (the frame ends there: its start is
 * esp - sizeof(struct fluke_sigframe)), the words signal, handler, then the
 * eight registers in pushal order, eflags and eip; the trampoline calls
 * fluke_sigrun(signal, handler), then restores every register, esp included,
 * and returns to eip. */
struct fluke_sigframe {
	uint32_t sig, handler;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t eflags, eip;
};

/* Run handler(sig) for the trampoline, keeping what it could change under the
 * call the thread was in: errno and the request in the client exchange
 * (fluke_client_rpc), which the interrupted call sends again afterwards. */
void fluke_sigrun(int sig, void (*handler)(int));

/* One call through the asker's Process port, with rpc->out made by the caller:
 * the POSIX errno of the answer (0: success), ENOSYS when no process manager
 * answers. Retries while the manager says FLUKE_WOULD_BLOCK. */
int fluke_process_call(struct fluke_rpc *rpc);

#endif
