/* POSIX processes, signals and descriptors (<unistd.h>, <signal.h>,
 * <sys/wait.h>, <fcntl.h>) over the Process protocol (<fluke/process.h>). */
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fluke/process.h>
#include <fluke/parent.h>
#include <stddef.h>
#include <fluke/console.h>
#include <fluke/abi/error.h>

int errno;

void fluke_sigtramp(void);

void fluke_sigrun(int sig, void (*handler)(int))
{
	/* The interrupted call's request lives in the client exchange, where the
	 * handler's own calls write theirs: keep it, so that the call the thread
	 * goes back to sends what it sent before. */
	static const size_t head = offsetof(struct fluke_rpc_msg, data);
	struct fluke_rpc *rpc = fluke_client_rpc();
	struct fluke_rpc_msg saved;
	uint32_t len = rpc->out.len < FLUKE_RPC_DATA ? rpc->out.len : FLUKE_RPC_DATA;
	uint32_t refs = rpc->out_refs;
	int err = errno;
	memcpy(&saved, &rpc->out, head + len);
	handler(sig);
	memcpy(&rpc->out, &saved, head + len);
	rpc->out_refs = refs;
	errno = err;
}

int fluke_process_call(struct fluke_rpc *rpc)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_PROCESS);
	if (!port)
		return ENOSYS;
	int rc = fluke_rpc_call_retry(port, rpc);
	return rc == FLUKE_SUCCESS ? (int)rpc->in.arg[FLUKE_PROCESS_ERRNO] : ENOSYS;
}

/* Begin a request of op with arguments a and b. The port is looked up first:
 * that may itself be a call through the same exchange. */
static struct fluke_rpc *request(uint32_t op, uint32_t a, uint32_t b)
{
	fluke_service(FLUKE_SVC_PROCESS);
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, op);
	rpc->out.arg[0] = a;
	rpc->out.arg[1] = b;
	return rpc;
}

/* The call's answer word `word`, or -1 with errno set. */
static int call(struct fluke_rpc *rpc, unsigned word)
{
	int err = fluke_process_call(rpc);
	if (err) {
		errno = err;
		return -1;
	}
	return (int)rpc->in.arg[word];
}

pid_t getpid(void)
{
	return call(request(FLUKE_PROCESS_GETPID, 0, 0), 0);
}

pid_t getppid(void)
{
	return call(request(FLUKE_PROCESS_GETPID, 0, 0), 1);
}

pid_t getpgrp(void)
{
	return call(request(FLUKE_PROCESS_GETPID, 0, 0), 2);
}

int setpgid(pid_t pid, pid_t pgid)
{
	return call(request(FLUKE_PROCESS_SETPGID, pid, pgid), FLUKE_PROCESS_ERRNO);
}

int tcsetpgrp(int fd, pid_t pgid)
{
	(void)fd;
	return call(request(FLUKE_PROCESS_TCSETPGRP, pgid, 0), FLUKE_PROCESS_ERRNO);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_WAITPID, pid, options);
	fluke_rpc_stamp(rpc);
	int got = call(rpc, 0);
	if (got > 0 && status)
		*status = (int)rpc->in.arg[1];
	return got;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

/* The manager ends the caller itself for a signal whose action is to end it;
 * one the caller catches comes back in the answer (arg1 the handler, arg2 the
 * signal), to run here: the thread is in this call, not where a frame can go. */
int kill(pid_t pid, int sig)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_KILL, pid, sig);
	if (call(rpc, FLUKE_PROCESS_ERRNO) < 0)
		return -1;
	sighandler_t self = (sighandler_t)rpc->in.arg[1];
	if (self)
		self((int)rpc->in.arg[2]);
	return 0;
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_SIGACTION, sig,
					act ? (uint32_t)act->sa_handler : ~0u);
	rpc->out.arg[2] = (uint32_t)fluke_sigtramp;
	int err = fluke_process_call(rpc);
	if (err) {
		errno = err;
		return -1;
	}
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = (sighandler_t)rpc->in.arg[0];
	}
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_handler = handler }, old;
	return sigaction(sig, &act, &old) < 0 ? SIG_ERR : old.sa_handler;
}

int execv(const char *path, char *const argv[])
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_EXEC, 0, 0);
	int argc = 0;
	while (argv[argc])
		argc++;
	/* The program is path; argv[0] is only its name for itself. */
	char *words[FLUKE_PARENT_MAX_ARGS + 1];
	if (argc < 1 || argc > FLUKE_PARENT_MAX_ARGS) {
		errno = E2BIG;
		return -1;
	}
	memcpy(words, argv, argc * sizeof(*words));
	words[0] = (char *)path;
	if (fluke_parent_put_words(rpc, argc, words) != FLUKE_SUCCESS) {
		errno = E2BIG;
		return -1;
	}
	return call(rpc, FLUKE_PROCESS_ERRNO);
}

/* fork() (fork.S) saves the registers a call keeps and asks for a copy that
 * resumes at fluke_fork_resume with esp: there they are restored and fork
 * returns 0. */
void fluke_fork_resume(void);
pid_t fluke_fork_call(uint32_t esp);
pid_t fluke_fork_call(uint32_t esp)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_FORK, (uint32_t)fluke_fork_resume, esp);
	fluke_rpc_stamp(rpc);
	return call(rpc, 0);
}

void _exit(int status)
{
	exit(status);
}

/* Without a process manager, descriptors 0, 1 and 2 are the Console. */
static int console_fd(int fd, int err)
{
	return err == ENOSYS && fd >= 0 && fd <= 2;
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_READ, fd,
					n < FLUKE_RPC_DATA ? n : FLUKE_RPC_DATA);
	fluke_rpc_stamp(rpc);
	int err = fluke_process_call(rpc);
	uint32_t got = 0;
	if (console_fd(fd, err))
		err = fluke_console_get(buf, n, &got) == FLUKE_SUCCESS ? 0 : EIO;
	else if (!err && (got = fluke_rpc_in_len(rpc)) > n)
		err = EIO;
	else if (!err)
		memcpy(buf, rpc->in.data, got);
	if (err) {
		errno = err;
		return -1;
	}
	return got;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	size_t done = 0;
	do {
		size_t part = n - done < FLUKE_RPC_DATA ? n - done : FLUKE_RPC_DATA;
		struct fluke_rpc *rpc = request(FLUKE_PROCESS_WRITE, fd, 0);
		fluke_rpc_stamp(rpc);
		fluke_rpc_put(rpc, (const char *)buf + done, part);
		int err = fluke_process_call(rpc);
		if (console_fd(fd, err))
			err = fluke_console_put((const char *)buf + done, part) == FLUKE_SUCCESS
			      ? 0 : EIO;
		else if (!err)
			part = rpc->in.arg[0];
		if (err) {
			errno = err;
			return done ? (ssize_t)done : -1;
		}
		done += part;
	} while (done < n);
	return done;
}

int open(const char *name, int flags, ...)
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_OPEN, flags, 0);
	fluke_rpc_stamp(rpc);
	if (fluke_rpc_put(rpc, name, strlen(name) + 1) != FLUKE_SUCCESS) {
		errno = ENOENT;
		return -1;
	}
	return call(rpc, 0);
}

int close(int fd)
{
	return call(request(FLUKE_PROCESS_CLOSE, fd, 0), FLUKE_PROCESS_ERRNO);
}

int dup(int fd)
{
	return call(request(FLUKE_PROCESS_DUP2, fd, ~0u), 0);
}

int dup2(int fd, int newfd)
{
	return call(request(FLUKE_PROCESS_DUP2, fd, newfd), 0);
}

/* The manager cannot see where the caller's memory is, so a pointer is checked
 * here: NULL, the first page and kernel addresses fault. */
int pipe(int fds[2])
{
	struct fluke_rpc *rpc = request(FLUKE_PROCESS_PIPE, 0, 0);
	fluke_rpc_stamp(rpc);
	if ((uint32_t)fds < 4096 || (uint32_t)fds >= 0xC0000000u - 8) {
		errno = EFAULT;
		return -1;
	}
	if (call(rpc, FLUKE_PROCESS_ERRNO) < 0)
		return -1;
	fds[0] = rpc->in.arg[0];
	fds[1] = rpc->in.arg[1];
	return 0;
}
