/*
 * ckptring PROCS ROUNDS: a ring of PROCS processes (under the process manager,
 * monitors/pm) for the checkpointer's tests (grade/lab5_ckpt.py): the first
 * makes a heap block, then forks the others, each process k joined to the next
 * by pipe k (the last back to the first). A one-byte token goes round ROUNDS
 * times; its holder runs a checksum loop over its own copy of the heap (a
 * fork's, written since), prints one line and passes the token on. Only the
 * holder prints, so the output is the same however the processes are scheduled
 * or stopped:
 *   ckptring: round R process K sum=XXXXXXXX    (R = 1..ROUNDS, K = 0..PROCS-1)
 * then, from the first, once it has the last token back, for each other K
 *   ckptring: process K exited K
 * and "ckptring: done", exit status 0. Anything that fails prints
 * "ckptring: ... failed" and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#define MAX_PROCS	8
#define SPIN		40000u		/* checksum steps a turn */
#define HEAP_WORDS	4096u		/* 16 KiB of heap, copied by each fork */

static int pipes[MAX_PROCS][2];
static uint32_t *heap;

static void fail(const char *what)
{
	printf("ckptring: %s failed\n", what);
	exit(1);
}

/* Process k of procs: its rounds, each after the token came (but the first's
 * first), the token passed on after each. */
static void turns(int k, int procs, int rounds)
{
	uint32_t x = (uint32_t)k + 1, s = 0;
	char token = 't';
	for (int r = 1; r <= rounds; r++) {
		if ((r > 1 || k > 0) && read(pipes[(k + procs - 1) % procs][0], &token, 1) != 1)
			fail("read");
		for (uint32_t i = 0; i < SPIN; i++) {
			x = x * 1664525u + 1013904223u;
			heap[x % HEAP_WORDS] += x >> 7;
			s = ((s << 3) | (s >> 29)) ^ heap[(x >> 9) % HEAP_WORDS];
		}
		printf("ckptring: round %d process %d sum=%08x\n", r, k, (unsigned)s);
		if (write(pipes[k][1], &token, 1) != 1)
			fail("write");
	}
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 3, rounds = argc > 2 ? atoi(argv[2]) : 6;
	pid_t pid[MAX_PROCS];
	if (procs < 2 || procs > MAX_PROCS || rounds < 1)
		fail("the arguments");
	if (!(heap = malloc(HEAP_WORDS * sizeof(*heap))))
		fail("malloc");
	for (uint32_t i = 0; i < HEAP_WORDS; i++)
		heap[i] = i;
	for (int k = 0; k < procs; k++)
		if (pipe(pipes[k]) < 0)
			fail("pipe");
	for (int k = 1; k < procs; k++) {
		if ((pid[k] = fork()) < 0)
			fail("fork");
		if (pid[k] == 0) {
			turns(k, procs, rounds);
			exit(k);
		}
	}
	turns(0, procs, rounds);
	char token;
	if (read(pipes[procs - 1][0], &token, 1) != 1)
		fail("the last read");
	for (int k = 1; k < procs; k++) {
		int status;
		if (waitpid(pid[k], &status, 0) != pid[k] || !WIFEXITED(status))
			fail("waitpid");
		printf("ckptring: process %d exited %d\n", k, WEXITSTATUS(status));
	}
	printf("ckptring: done\n");
	return 0;
}
