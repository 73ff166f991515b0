/*
 * pmbench: what the process manager's hot paths cost, in guest instructions
 * each (rdtsc, which counts instructions under QEMU's -icount; make bench):
 * spawn of true and waitpid for it (METRIC pm_spawn_wait_tsc), fork of this
 * program whose child _exits at once, and waitpid (pm_fork_wait_tsc), and a
 * one-byte round trip over two pipes between this process and a forked child
 * that echoes each byte (pm_pipe_rtt_tsc). Each runs WARM times first, then is
 * timed over its rounds; a failure prints what failed and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <fluke/test.h>
#include <fluke/tsc.h>

#define WARM		3
#define SPAWNS		20
#define FORKS		20
#define TRIPS		200

static void fail(const char *what)
{
	printf("pmbench: %s failed\n", what);
	exit(1);
}

static void spawn_true(void)
{
	char *args[] = { "true", 0 };
	uint64_t t0 = 0;
	for (int i = -WARM; i < SPAWNS; i++) {
		int status, pid;
		if (i == 0)
			t0 = fluke_rdtsc();
		if ((pid = spawn(1, args)) <= 0 || waitpid(pid, &status, 0) != pid || status)
			fail("spawn and waitpid of true");
	}
	test_record("METRIC", "pm_spawn_wait_tsc=%u", (unsigned)((fluke_rdtsc() - t0) / SPAWNS));
}

static void fork_wait(void)
{
	uint64_t t0 = 0;
	for (int i = -WARM; i < FORKS; i++) {
		int status, pid;
		if (i == 0)
			t0 = fluke_rdtsc();
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
			fail("fork, exit and waitpid");
	}
	test_record("METRIC", "pm_fork_wait_tsc=%u", (unsigned)((fluke_rdtsc() - t0) / FORKS));
}

static void pipe_trip(void)
{
	int there[2], back[2], pid, status;
	char c = 'p';
	uint64_t t0 = 0;
	if (pipe(there) || pipe(back))
		fail("pipe");
	if ((pid = fork()) == 0) {	/* the echo: each byte back until end of file */
		close(there[1]);
		close(back[0]);
		while (read(there[0], &c, 1) == 1)
			if (write(back[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	if (pid < 0)
		fail("fork");
	close(there[0]);
	close(back[1]);
	for (int i = -WARM; i < TRIPS; i++) {
		if (i == 0)
			t0 = fluke_rdtsc();
		if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
			fail("a pipe round trip");
	}
	uint64_t t1 = fluke_rdtsc();
	close(there[1]);
	if (waitpid(pid, &status, 0) != pid || status)
		fail("the echo's end");
	test_record("METRIC", "pm_pipe_rtt_tsc=%u", (unsigned)((t1 - t0) / TRIPS));
}

int main(void)
{
	spawn_true();
	fork_wait();
	pipe_trip();
	return 0;
}
