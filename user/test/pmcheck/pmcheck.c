/*
 * pmcheck: the process manager's calls (monitors/pm, <unistd.h>), each with its
 * error cases and the errno POSIX gives them. Run under stack=pm; each check is
 * a test record (pm-getpid, pm-waitpid, pm-kill, pm-handler, pm-exception,
 * pm-exec, pm-pipe, pm-open, pm-setpgid, pm-fork, pm-fork-heap). "pmcheck forkheap"
 * runs pm-fork-heap alone (under a pager: its copy-on-write counts are the
 * pager's METRIC). "pmcheck child HOW ..." is the child the checks start
 * (spawn: it inherits the descriptors).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fluke/pages.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

static char me[16];

/* Start "pmcheck child how arg" (or prog arg when how is NULL); its pid. */
static int child(const char *how, const char *arg)
{
	char *argv[] = { "pmcheck", "child", (char *)how, (char *)arg, 0 };
	return spawn(arg ? 4 : 3, argv);
}

static int run(char *prog, char *arg)
{
	char *argv[] = { prog, arg, 0 };
	return spawn(arg ? 2 : 1, argv);
}

static int waited(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

static volatile int caught;
static void on_usr1(int sig)
{
	caught = sig;
}

/* Says it ran, through the descriptor 1 the "resume" child writes to. */
static void on_usr1_say(int sig)
{
	caught = sig;
	write(1, "h", 1);
}

static void on_fatal(int sig)
{
	_exit(sig == SIGUSR1 ? 42 : 7);
}

static void check_getpid(void)
{
	const char *t = "pm-getpid";
	test_record("BEGIN", "%s", t);
	CHECK(t, getpid() > 0 && getppid() == 0 && getpgrp() == getpid());
	int pid = child("parent", me);
	CHECK(t, pid > 0 && pid != getpid());
	CHECK(t, waited(pid) == 0);		/* it saw me as its parent */
	test_record("PASS", "%s", t);
}

static void check_waitpid(void)
{
	const char *t = "pm-waitpid";
	int status;
	test_record("BEGIN", "%s", t);
	CHECK(t, wait(&status) == -1 && errno == ECHILD);	/* no children */
	CHECK(t, waitpid(getpid(), &status, 0) == -1 && errno == ECHILD);	/* no child */
	CHECK(t, waitpid(12345, &status, 0) == -1 && errno == ECHILD);
	int pid = child("spin", 0);
	CHECK(t, pid > 0);
	CHECK(t, waitpid(pid, &status, 99) == -1 && errno == EINVAL);
	CHECK(t, waitpid(pid, &status, WNOHANG) == 0);		/* still running */
	CHECK(t, kill(pid, SIGTERM) == 0);
	CHECK(t, waitpid(-1, &status, 0) == pid && WIFSIGNALED(status) &&
		 WTERMSIG(status) == SIGTERM);
	CHECK(t, waitpid(pid, &status, 0) == -1 && errno == ECHILD);	/* reaped */
	pid = child("exit", "3");
	CHECK(t, waited(pid) != -1);
	pid = child("exit", "5");
	CHECK(t, waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		 WEXITSTATUS(status) == 5);
	test_record("PASS", "%s", t);
}

static void check_kill(void)
{
	const char *t = "pm-kill";
	test_record("BEGIN", "%s", t);
	int pid = child("exit", "0");
	CHECK(t, waited(pid) == 0);
	CHECK(t, kill(pid, SIGTERM) == -1 && errno == ESRCH);		/* dead */
	CHECK(t, kill(getpid(), 99) == -1 && errno == EINVAL);
	CHECK(t, kill(getpid(), -1) == -1 && errno == EINVAL);
	CHECK(t, kill(getpid(), 0) == 0);
	CHECK(t, kill(-9999, SIGTERM) == -1 && errno == ESRCH);	/* no such group */
	pid = child("spin", 0);
	CHECK(t, kill(pid, 0) == 0 && kill(pid, SIGKILL) == 0);
	int status = waited(pid);
	CHECK(t, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	test_record("PASS", "%s", t);
}

static void check_handler(void)
{
	const char *t = "pm-handler";
	int fds[2], saved;
	char c = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, signal(SIGKILL, on_usr1) == SIG_ERR && errno == EINVAL);
	CHECK(t, signal(0, on_usr1) == SIG_ERR && errno == EINVAL);
	CHECK(t, signal(SIGUSR1, on_usr1) == SIG_DFL);
	CHECK(t, raise(SIGUSR1) == 0 && caught == SIGUSR1);
	CHECK(t, signal(SIGUSR1, SIG_IGN) == on_usr1);
	CHECK(t, raise(SIGUSR1) == 0);		/* ignored: still here */
	CHECK(t, signal(SIGUSR1, SIG_DFL) == SIG_IGN);
	/* Another process's handler, run while it waits in a call: it says it is
	 * ready through a pipe, then blocks reading the same pipe. */
	CHECK(t, pipe(fds) == 0 && (saved = dup(1)) >= 0 && dup2(fds[1], 1) == 1);
	int pid = child("handler", 0);
	CHECK(t, dup2(saved, 1) == 1 && close(saved) == 0 && pid > 0);
	CHECK(t, read(fds[0], &c, 1) == 1 && c == 'r');
	CHECK(t, kill(pid, SIGUSR1) == 0);
	int status = waited(pid);
	CHECK(t, WIFEXITED(status) && WEXITSTATUS(status) == 42);
	CHECK(t, close(fds[0]) == 0 && close(fds[1]) == 0);
	/* A handler that returns, run while its process waits in a read: the read
	 * goes on, and every register and local of the process is as it was (the
	 * "resume" child's 0 is a pipe from here, its 1 a pipe to here). */
	int in[2], out[2], saved0;
	CHECK(t, pipe(in) == 0 && pipe(out) == 0);
	CHECK(t, (saved0 = dup(0)) >= 0 && (saved = dup(1)) >= 0);
	CHECK(t, dup2(in[0], 0) == 0 && dup2(out[1], 1) == 1);
	pid = child("resume", 0);
	CHECK(t, dup2(saved0, 0) == 0 && dup2(saved, 1) == 1 && pid > 0);
	CHECK(t, close(saved0) == 0 && close(saved) == 0);
	CHECK(t, close(in[0]) == 0 && close(out[1]) == 0);
	CHECK(t, read(out[0], &c, 1) == 1 && c == 'r');
	CHECK(t, kill(pid, SIGUSR1) == 0);
	CHECK(t, read(out[0], &c, 1) == 1 && c == 'h');	/* the handler returned ... */
	CHECK(t, write(in[1], "x", 1) == 1);		/* ... and the read goes on */
	status = waited(pid);
	CHECK(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(t, close(in[1]) == 0 && close(out[0]) == 0);
	test_record("PASS", "%s", t);
}

static void check_exception(void)
{
	const char *t = "pm-exception";
	static char *how[] = { "write", "divide", "int3", "gpf" };
	static const int sig[] = { SIGSEGV, SIGFPE, SIGTRAP, SIGSEGV };
	test_record("BEGIN", "%s", t);
	for (int i = 0; i < 4; i++) {
		int status = waited(run("fault", how[i]));
		CHECK(t, WIFSIGNALED(status) && WTERMSIG(status) == sig[i]);
	}
	CHECK(t, waited(child("segv", 0)) == 7 << 8);	/* its handler ran and exited */
	test_record("PASS", "%s", t);
}

static void check_exec(void)
{
	const char *t = "pm-exec";
	char *argv[] = { "nosuch", 0 };
	test_record("BEGIN", "%s", t);
	CHECK(t, execv("nosuch", argv) == -1 && errno == ENOENT);	/* still here */
	CHECK(t, execv("boot.conf", argv) == -1 && errno == ENOENT);	/* no program */
	int pid = child("exec", 0);
	CHECK(t, waited(pid) == 0);		/* the new program had the same pid */
	test_record("PASS", "%s", t);
}

static void check_pipe(void)
{
	const char *t = "pm-pipe";
	int fds[2];
	char buf[8];
	test_record("BEGIN", "%s", t);
	CHECK(t, pipe(0) == -1 && errno == EFAULT);
	int *volatile bad = (int *)1;		/* hidden from the compiler's checks */
	CHECK(t, pipe(bad) == -1 && errno == EFAULT);
	CHECK(t, pipe(fds) == 0 && fds[0] >= 3 && fds[1] > fds[0]);
	CHECK(t, write(fds[1], "abc", 3) == 3 && read(fds[0], buf, 8) == 3 &&
		 memcmp(buf, "abc", 3) == 0);
	CHECK(t, read(fds[1], buf, 1) == -1 && errno == EBADF);
	CHECK(t, write(fds[0], buf, 1) == -1 && errno == EBADF);
	CHECK(t, close(fds[1]) == 0 && read(fds[0], buf, 8) == 0);	/* end of file */
	CHECK(t, close(fds[1]) == -1 && errno == EBADF);
	CHECK(t, close(99) == -1 && errno == EBADF && close(-1) == -1 && errno == EBADF);
	CHECK(t, read(40, buf, 1) == -1 && errno == EBADF);
	CHECK(t, dup2(fds[1], 5) == -1 && errno == EBADF);
	CHECK(t, dup2(fds[0], 99) == -1 && errno == EBADF);
	CHECK(t, close(fds[0]) == 0);
	CHECK(t, pipe(fds) == 0 && close(fds[0]) == 0);
	CHECK(t, signal(SIGPIPE, SIG_IGN) == SIG_DFL);
	CHECK(t, write(fds[1], "x", 1) == -1 && errno == EPIPE);	/* nobody reads */
	CHECK(t, signal(SIGPIPE, SIG_DFL) == SIG_IGN && close(fds[1]) == 0);
	/* A child's writes end at its exit: end of file for the reader. */
	CHECK(t, pipe(fds) == 0);
	int saved = dup(1);
	CHECK(t, dup2(fds[1], 1) == 1 && close(fds[1]) == 0);
	int pid = run("hello", "piped");
	CHECK(t, dup2(saved, 1) == 1 && close(saved) == 0);
	int n = 0, got;
	static char text[256];
	while ((got = read(fds[0], text + n, sizeof(text) - 1 - n)) > 0)
		n += got;
	text[n] = 0;
	CHECK(t, waited(pid) == 0 && strstr(text, "hello piped"));
	CHECK(t, close(fds[0]) == 0);
	test_record("PASS", "%s", t);
}

static void check_open(void)
{
	const char *t = "pm-open";
	char buf[16];
	test_record("BEGIN", "%s", t);
	CHECK(t, open("nosuch", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(t, open("boot.conf", O_WRONLY) == -1 && errno == EROFS);
	int fd = open("boot.conf", O_RDONLY);
	CHECK(t, fd >= 3 && read(fd, buf, 5) == 5 && memcmp(buf, "# The", 5) == 0);
	CHECK(t, write(fd, buf, 1) == -1 && errno == EBADF);
	CHECK(t, close(fd) == 0);
	test_record("PASS", "%s", t);
}

static int global = 1;

static void check_fork(void)
{
	const char *t = "pm-fork";
	int fds[2], status;
	char buf[16];
	char *heap = malloc(64);
	test_record("BEGIN", "%s", t);
	CHECK(t, heap && pipe(fds) == 0);
	strlcpy(heap, "heap", 64);
	int local = 2, parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* The child: a copy of the memory, its own pid, the pipe inherited. */
		global = 10, local = 20;
		strlcpy(heap, "child", 64);
		int ok = getppid() == parent && getpid() != parent &&
			 write(fds[1], "ok", 2) == 2;
		_exit(ok ? 3 : 4);
	}
	CHECK(t, pid > 0 && close(fds[1]) == 0);
	CHECK(t, read(fds[0], buf, sizeof(buf)) == 2 && memcmp(buf, "ok", 2) == 0);
	CHECK(t, waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		 WEXITSTATUS(status) == 3);
	/* The child's writes went to its copy only. */
	CHECK(t, global == 1 && local == 2 && strcmp(heap, "heap") == 0);
	CHECK(t, read(fds[0], buf, sizeof(buf)) == 0 && close(fds[0]) == 0);
	/* fork + exec, the POSIX way to start a program. */
	if ((pid = fork()) == 0) {
		char *args[] = { "hello", "forked", 0 };
		execv("hello", args);
		_exit(127);
	}
	CHECK(t, pid > 0 && waited(pid) == 0);
	free(heap);
	test_record("PASS", "%s", t);
}

#define HEAP_PAGES	256
#define HEAP_WORDS	(FLUKE_PAGE_SIZE / 4)
#define HEAP_WRITES	8	/* pages each side writes after the fork */

/* Fill page p of heap with version v's words, or count the words that are not. */
static void heap_fill(uint32_t *heap, uint32_t p, uint32_t v)
{
	for (uint32_t w = 0; w < HEAP_WORDS; w++)
		heap[p * HEAP_WORDS + w] = p << 20 | v << 12 | w;
}

static uint32_t heap_bad(const uint32_t *heap, uint32_t p, uint32_t v)
{
	uint32_t bad = 0;
	for (uint32_t w = 0; w < HEAP_WORDS; w++)
		bad += heap[p * HEAP_WORDS + w] != (p << 20 | v << 12 | w);
	return bad;
}

/* A fork of a written 256-page heap (one MemPool region): the child writes
 * pages 0-7, the parent pages 8-15 (while the child waits on a pipe, so both
 * copies are alive), and each sees its own writes and the other pages as they
 * were. */
static void check_fork_heap(void)
{
	const char *t = "pm-fork-heap";
	uint32_t *heap = fluke_pages_get(HEAP_PAGES), bad = 0;
	int status, fds[2];
	char c;
	test_record("BEGIN", "%s", t);
	CHECK(t, heap != 0 && pipe(fds) == 0);
	for (uint32_t p = 0; p < HEAP_PAGES; p++)
		heap_fill(heap, p, 1);
	pid_t pid = fork();
	if (pid == 0) {
		for (uint32_t p = 0; p < HEAP_WRITES; p++)
			heap_fill(heap, p, 2);
		if (read(fds[0], &c, 1) != 1)
			_exit(2);
		for (uint32_t p = 0; p < HEAP_PAGES; p++)
			bad += heap_bad(heap, p, p < HEAP_WRITES ? 2 : 1);
		_exit(bad ? 1 : 0);
	}
	CHECK(t, pid > 0);
	for (uint32_t p = HEAP_WRITES; p < 2 * HEAP_WRITES; p++)
		heap_fill(heap, p, 3);
	CHECK(t, write(fds[1], "w", 1) == 1 && close(fds[0]) == 0 && close(fds[1]) == 0);
	CHECK(t, waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		 WEXITSTATUS(status) == 0);
	for (uint32_t p = 0; p < HEAP_PAGES; p++)
		bad += heap_bad(heap, p, p >= HEAP_WRITES && p < 2 * HEAP_WRITES ? 3 : 1);
	printf("pmcheck: fork of a %u-page heap, each side wrote %u: %u bad words in the "
	       "parent\n", HEAP_PAGES, HEAP_WRITES, bad);
	CHECK(t, bad == 0);
	fluke_pages_put(heap, HEAP_PAGES);
	test_record("PASS", "%s", t);
}

static void check_setpgid(void)
{
	const char *t = "pm-setpgid";
	test_record("BEGIN", "%s", t);
	CHECK(t, setpgid(0, 0) == 0 && getpgrp() == getpid());
	CHECK(t, setpgid(9999, 0) == -1 && errno == ESRCH);
	CHECK(t, setpgid(0, 9999) == -1 && errno == EPERM);
	int pid = child("spin", 0);
	CHECK(t, setpgid(pid, pid) == 0 && kill(-pid, SIGTERM) == 0);
	CHECK(t, WTERMSIG(waited(pid)) == SIGTERM);
	test_record("PASS", "%s", t);
}

/* The children: argv[2] says what to do. */
static int as_child(int argc, char **argv)
{
	const char *how = argv[2];
	if (strcmp(how, "parent") == 0)
		return getppid() == atoi(argv[3]) ? 0 : 1;
	if (strcmp(how, "exit") == 0)
		return atoi(argv[3]);
	if (strcmp(how, "spin") == 0)
		for (;;)
			fluke_thread_yield();
	if (strcmp(how, "handler") == 0) {
		char c;
		signal(SIGUSR1, on_fatal);
		write(1, "r", 1);
		read(0, &c, 1);		/* waits here until the signal */
		return 1;
	}
	if (strcmp(how, "resume") == 0) {
		/* Locals the compiler keeps on the stack and in registers across
		 * the read: a handler that returned with esp or a register
		 * moved changes them. */
		volatile uint32_t canary[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
		uint32_t sum = canary[0] ^ canary[3];
		char c = 0;
		signal(SIGUSR1, on_usr1_say);
		write(1, "r", 1);
		int n = read(0, &c, 1);		/* the handler runs in here */
		if (n != 1 || c != 'x' || caught != SIGUSR1)
			return 3;		/* the read did not go on */
		if (canary[0] != 0x11111111 || canary[1] != 0x22222222 ||
		    canary[2] != 0x33333333 || canary[3] != 0x44444444 ||
		    sum != (0x11111111u ^ 0x44444444u))
			return 4;		/* esp or a register moved */
		return 0;
	}
	if (strcmp(how, "segv") == 0) {
		signal(SIGSEGV, on_fatal);
		*(volatile int *)0 = 1;
		return 1;
	}
	if (strcmp(how, "exec") == 0) {
		char pid[16];
		snprintf(pid, sizeof(pid), "%d", getpid());
		char *args[] = { "pmcheck", "child", "samepid", pid, 0 };
		execv("pmcheck", args);
		return 1;
	}
	if (strcmp(how, "samepid") == 0)
		return argc > 3 && getpid() == atoi(argv[3]) ? 0 : 1;
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return as_child(argc, argv);
	if (argc > 1 && strcmp(argv[1], "forkheap") == 0) {
		check_fork_heap();
		return test_failures != 0;
	}
	snprintf(me, sizeof(me), "%d", getpid());
	check_getpid();
	check_waitpid();
	check_kill();
	check_handler();
	check_exception();
	check_exec();
	check_pipe();
	check_open();
	check_setpgid();
	check_fork();
	check_fork_heap();
	printf("pmcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
