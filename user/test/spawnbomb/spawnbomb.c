/*
 * spawnbomb: every process spawns copies of itself until its process manager
 * refuses (its process limit, stack=pm:N): the spawn fails with EAGAIN-like
 * FLUKE_NO_MEMORY, nothing else breaks, and once the bomb is killed (its
 * group) and reaped, a spawn works again. "spawnbomb child" is a copy: it
 * spawns what it can, then sleeps until it is killed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fluke/abi/error.h>
#include <fluke/mutex.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

static char *copy[] = { "spawnbomb", "child", 0 };

/* Spawn copies until refused; how many started. */
static int bomb(int *refusal)
{
	int n = 0, pid;
	while ((pid = spawn(2, copy)) > 0)
		n++;
	*refusal = -pid;
	return n;
}

static void check(void)
{
	const char *t = "pm-spawnbomb";
	int refusal, status, reaped = 0;
	test_record("BEGIN", "%s", t);
	CHECK(t, setpgid(0, 0) == 0);
	int n = bomb(&refusal);
	/* Let the copies fill the table too. */
	for (int i = 0; i < 200; i++)
		fluke_thread_yield();
	printf("spawnbomb: %d copies of mine started, then %s\n", n,
	       refusal == FLUKE_NO_MEMORY ? "EAGAIN" : "another error");
	CHECK(t, n > 0 && refusal == FLUKE_NO_MEMORY);
	CHECK(t, signal(SIGTERM, SIG_IGN) == SIG_DFL && kill(0, SIGTERM) == 0);
	while (waitpid(-1, &status, 0) > 0)
		reaped++;
	char *args[] = { "true", 0 };
	int pid = spawn(1, args);
	CHECK(t, pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	printf("spawnbomb: killed, %d reaped; a spawn works again\n", reaped);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	int refusal;
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		fluke_mutex_t lock;	/* to sleep on, using no CPU, until killed */
		fluke_cond_t never;
		bomb(&refusal);
		fluke_mutex_create(&lock);
		fluke_cond_create(&never);
		fluke_mutex_lock(&lock);
		for (;;)
			fluke_cond_wait(&never, &lock);
	}
	check();
	return test_failures != 0;
}
