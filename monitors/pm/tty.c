/*
 * The console's input. One thread of the manager's own reads the manager's
 * Console (its parent's) for ever, into a buffer; processes reading the console
 * take from it, waiting while it is empty. A Ctrl-C (0x03) read while a
 * foreground group is set (tcsetpgrp) is no input: it sends that group SIGINT.
 * With none set it is a character like any other, so a manager under another
 * passes it on to the one whose shell set a group.
 * Input that comes while nobody reads waits in the buffer (TTY_BUF bytes; more
 * is dropped).
 */
#include "pm.h"
#include <fluke/console.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <signal.h>
#include <stdio.h>

#define TTY_BUF		256
#define TTY_STACK	(8 * 1024)

static struct {
	fluke_thread_t thread;
	struct fluke_rpc rpc;		/* the reader's own exchange */
	char stack[TTY_STACK] __attribute__((aligned(16)));
	char buf[TTY_BUF];		/* [head, head + count) modulo TTY_BUF */
	uint32_t head, count;
} tty;

static void take(const char *in, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (in[i] == 0x03 && pm_fg) {
			pm_signal_group(pm_fg, SIGINT);
			continue;
		}
		if (tty.count < TTY_BUF)
			tty.buf[(tty.head + tty.count++) % TTY_BUF] = in[i];
	}
	fluke_cond_broadcast(&pm.changed);
}

static void reader(void *arg)
{
	char in[64];
	uint32_t got;
	(void)arg;
	for (;;) {
		if (fluke_console_get_on(&tty.rpc, in, sizeof(in), &got) != FLUKE_SUCCESS)
			fluke_thread_destroy(&tty.thread);	/* no console: nothing will come */
		fluke_mutex_lock(&pm.lock);
		take(in, got);
		fluke_mutex_unlock(&pm.lock);
	}
}

void pm_tty_start(void)
{
	fluke_rpc_init(&tty.rpc);
	fluke_service(FLUKE_SVC_CONSOLE);	/* asked now, on the program's exchange */
	if (fluke_thread_start(&tty.thread, reader, 0, tty.stack, sizeof(tty.stack),
			       FLUKE_PRIO_DEFAULT) != FLUKE_SUCCESS)
		printf("pm: no thread to read the console with\n");
}

int pm_tty_read(uint32_t slot, char *buf, uint32_t max, uint32_t *got)
{
	uint32_t pid = pm.children[slot].pid, seq = procs[slot].sigseq;
	int err;
	while (tty.count == 0)
		if ((err = pm_wait(slot, pid, seq)) != 0)
			return err;
	uint32_t n = tty.count < max ? tty.count : max;
	for (uint32_t i = 0; i < n; i++)
		buf[i] = tty.buf[(tty.head + i) % TTY_BUF];
	tty.head = (tty.head + n) % TTY_BUF;
	tty.count -= n;
	*got = n;
	return 0;
}
