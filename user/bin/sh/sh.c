/*
 * The shell: reads a line (backspace edits it), runs a built-in or starts the
 * program of that name from the boot file system with the words as arguments
 * (spawn and wait through the Parent protocol) and shows its exit status.
 * Built-ins: ls, cat FILE... (each file of the boot file system in turn; no file
 * is a usage error, since the shell has no standard input to copy), echo WORDS,
 * wait, help, and exit [N], which ends the shell with status N (0 to 255,
 * default 0; at the top of the stack the machine stops). A built-in given the
 * wrong arguments says how to use it and does nothing.
 * Under a process manager (stack=pm) it also runs jobs: pipelines,
 * redirections, & and $? (job.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fluke/fs.h>
#include "sh.h"

#define LINE_MAX	128
#define MAX_WORDS	16

/* Read a line into buf, echoing it; returns its length. */
static int read_line(char *buf, int size)
{
	int len = 0;
	for (;;) {
		int c = getchar();
		if (c == EOF || c == '\n' || c == '\r') {
			putchar('\n');
			buf[len] = '\0';
			return len;
		}
		if (c == '\b' || c == 0x7f) {
			if (len > 0) {
				len--;
				printf("\b \b");
			}
		} else if (c >= ' ' && len < size - 1) {
			buf[len++] = c;
			putchar(c);
		}
	}
}

static int split(char *line, char **words)
{
	int n = 0;
	for (char *p = line; *p && n < MAX_WORDS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			words[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

static void ls(void)
{
	char name[FLUKE_FS_NAME_MAX];
	uint32_t size;
	for (uint32_t i = 0; fluke_fs_list(i, name, &size) == FLUKE_SUCCESS; i++)
		printf("%-16s %8u\n", name, size);
}

static void cat(const char *name)
{
	static char buf[FLUKE_RPC_DATA];
	uint32_t handle, got;
	if (fluke_fs_open(name, &handle) != FLUKE_SUCCESS) {
		printf("cat: %s: no such file\n", name);
		return;
	}
	for (uint32_t off = 0; fluke_fs_read(handle, off, buf, sizeof(buf), &got) == FLUKE_SUCCESS &&
			       got > 0; off += got)
		printf("%.*s", (int)got, buf);
}

/* The number word spells (0 to 255, decimal digits only), or -1. */
static int exit_status(const char *word)
{
	int n = 0;
	if (!*word)
		return -1;
	for (const char *p = word; *p; p++) {
		if (*p < '0' || *p > '9' || (n = n * 10 + (*p - '0')) > 255)
			return -1;
	}
	return n;
}

static void run(int argc, char **argv)
{
	int status, pid = spawn(argc, argv);
	if (pid < 0) {
		printf("sh: %s: %s\n", argv[0], pid == -FLUKE_NOT_FOUND ? "no such program"
									: "cannot start it");
		return;
	}
	/* Under a process manager it runs as the console's foreground group. */
	if (setpgid(pid, pid) == 0)
		status = sh_foreground(pid, &pid, 1);
	else if (spawn_wait(pid, &status) == 0)
		sh_status = status;
	else
		return;
	printf("[%s: exit status %d]\n", argv[0], status);
}

int main(void)
{
	static char line[LINE_MAX];
	char *words[MAX_WORDS + 1];
	printf("Fluke shell: type help\n");
	for (;;) {
		printf("$ ");
		read_line(line, sizeof(line));
		int n = split(line, words);
		words[n] = 0;
		if (n == 0)
			continue;
		sh_expand(words, n);
		if (sh_job(words, n))
			continue;
		if (strcmp(words[0], "exit") == 0) {
			int status = n > 1 ? exit_status(words[1]) : 0;
			if (n > 2)
				printf("sh: exit: too many arguments (exit [N])\n");
			else if (status < 0)
				printf("sh: exit: '%s' is not a number (exit [N], N from 0 to 255)\n",
				       words[1]);
			else
				return status;
		} else if (strcmp(words[0], "help") == 0) {
			printf("built-ins: ls, cat FILE..., echo WORDS, exit [N], wait, help; "
			       "anything else runs that program: try hello, memtest 64, spin, fault; "
			       "under stack=pm: a | b, < FILE, > FILE, &, $?\n");
		} else if (strcmp(words[0], "wait") == 0) {
			sh_wait_all();
		} else if (strcmp(words[0], "echo") == 0) {
			for (int i = 1; i < n; i++)
				printf(i > 1 ? " %s" : "%s", words[i]);
			printf("\n");
		} else if (strcmp(words[0], "ls") == 0) {
			ls();
		} else if (strcmp(words[0], "cat") == 0) {
			if (n == 1)
				printf("sh: usage: cat FILE... (prints each file of the boot file "
				       "system; ls lists them)\n");
			for (int i = 1; i < n; i++)
				cat(words[i]);
		} else {
			run(n, words);
		}
	}
}
