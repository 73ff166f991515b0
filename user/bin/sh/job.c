/*
 * The shell's jobs, over a process manager (monitors/pm, <unistd.h>): a line
 * with | < > or a final & is a job: its commands run as one process group,
 * each stage's standard output a pipe into the next one's standard input, the
 * first reading < FILE and the last writing > FILE; the shell waits for every
 * stage (the job is the console's foreground group meanwhile, so Ctrl-C ends
 * it and not the shell) or, with &, goes on at once ("wait" waits for every
 * job). echo in a job is the shell's own, writing into the job's pipe. $? is
 * the status of the last command or job (its last stage's): its exit status,
 * or 128 + N for one ended by signal N.
 * Invariant: between jobs the shell's descriptors are 0, 1 and 2 only.
 */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STAGES	8

int sh_status;

struct stage {
	char **argv;
	int argc;
	const char *in, *out;	/* < and > files, or NULL */
};

void sh_expand(char **words, int n)
{
	static char status[12];
	snprintf(status, sizeof(status), "%d", sh_status);
	for (int i = 0; i < n; i++)
		if (strcmp(words[i], "$?") == 0)
			words[i] = status;
}

static int status_of(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

int sh_foreground(int pgid, const int *pids, int n)
{
	int wstatus = 0;
	tcsetpgrp(0, pgid);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0 && waitpid(pids[i], &wstatus, 0) == pids[i] && i == n - 1)
			sh_status = status_of(wstatus);
	tcsetpgrp(0, 0);	/* Ctrl-C at the prompt is a character again */
	return sh_status;
}

/* Split words at |, < and >; the number of stages, or -1 if it is malformed. */
static int parse(char **words, int n, struct stage *st)
{
	int count = 0;
	memset(st, 0, sizeof(*st));
	st->argv = words;
	for (int i = 0; i < n; i++) {
		struct stage *s = &st[count];
		if (strcmp(words[i], "|") == 0) {
			if (s->argc == 0 || ++count == MAX_STAGES)
				return -1;
			memset(&st[count], 0, sizeof(*st));
			st[count].argv = words + i + 1;
			words[i] = 0;
		} else if (strcmp(words[i], "<") == 0 || strcmp(words[i], ">") == 0) {
			if (i + 1 == n)
				return -1;
			*(words[i][0] == '<' ? &s->in : &s->out) = words[i + 1];
			words[i] = words[i + 1] = 0;
			i++;
		} else if (s->argv + s->argc == words + i) {
			s->argc++;
		} else {
			return -1;	/* a word after a redirection */
		}
	}
	return st[count].argc ? count + 1 : -1;
}

/* Make fd (0 or 1) the file name, read (0) or written (1); -1 if it cannot be. */
static int redirect(int fd, const char *name)
{
	int f = open(name, fd ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY);
	if (f < 0) {
		printf("sh: %s: %s\n", name, errno == ENOENT ? "no such file"
			: errno == EROFS ? "the file system is read only" : "cannot open it");
		return -1;
	}
	dup2(f, fd);
	close(f);
	return 0;
}

/* Start stage s with the shell's descriptors 0 and 1 as they are now: its pid,
 * 0 for the shell's own echo, -1 if it could not start. */
static int start(struct stage *s)
{
	s->argv[s->argc] = 0;
	if (strcmp(s->argv[0], "echo") == 0) {
		for (int i = 1; i < s->argc; i++)
			printf(i > 1 ? " %s" : "%s", s->argv[i]);
		printf("\n");
		return 0;
	}
	int pid = spawn(s->argc, s->argv);
	if (pid < 0)
		printf("sh: %s: %s\n", s->argv[0], pid == -FLUKE_NOT_FOUND ? "no such program"
			: "cannot start it");
	return pid < 0 ? -1 : pid;
}

int sh_job(char **words, int n)
{
	struct stage st[MAX_STAGES];
	int pids[MAX_STAGES], pgid = 0, prev = -1, background = 0, fds[2], job = 0;
	for (int i = 0; i < n; i++)
		job |= strcmp(words[i], "|") == 0 || strcmp(words[i], "<") == 0 ||
		       strcmp(words[i], ">") == 0 || (i == n - 1 && strcmp(words[i], "&") == 0);
	if (!job)
		return 0;
	if (strcmp(words[n - 1], "&") == 0) {
		background = 1;
		words[--n] = 0;
	}
	int stages = parse(words, n, st);
	if (stages < 0) {
		printf("sh: a job is CMD [< FILE] [| CMD]... [> FILE] [&]\n");
		return 1;
	}
	int saved_in = dup(0), saved_out = dup(1);
	if (saved_in < 0 || saved_out < 0) {
		printf("sh: jobs need a process manager (stack=pm)\n");
		return 1;
	}
	for (int i = 0; i < stages; i++) {
		int last = i == stages - 1, ok = 1;
		pids[i] = -1;
		if (!last && pipe(fds) < 0) {
			printf("sh: no pipe to be had\n");
			stages = i;
			break;
		}
		if (prev >= 0)
			dup2(prev, 0);
		if (st[i].in)
			ok = redirect(0, st[i].in) == 0;
		if (!last)
			dup2(fds[1], 1);
		if (st[i].out && ok)
			ok = redirect(1, st[i].out) == 0;
		if (ok && (pids[i] = start(&st[i])) > 0) {
			setpgid(pids[i], pgid ? pgid : pids[i]);
			pgid = pgid ? pgid : pids[i];
		}
		dup2(saved_in, 0);
		dup2(saved_out, 1);
		if (prev >= 0)
			close(prev);
		if (!last) {
			close(fds[1]);
			prev = fds[0];
		}
	}
	if (prev >= 0)
		close(prev);
	close(saved_in);
	close(saved_out);
	if (background)
		printf("[%d]\n", pgid);
	else
		sh_foreground(pgid, pids, stages);
	return 1;
}

void sh_wait_all(void)
{
	int wstatus;
	while (waitpid(-1, &wstatus, 0) > 0)
		sh_status = status_of(wstatus);
}
