/*
 * The root's Console: the kernel console. A READ sleeps in the kernel until
 * input arrives, so an idle shell leaves the CPU idle, and without the monitor's
 * lock, so the other server threads serve on meanwhile.
 *
 * A READ sent again (<fluke/console.h>) may find the server thread of the
 * first still asleep in the kernel; whichever thread gets the input, the client
 * must get it once. So one thread at a time reads the kernel console, into
 * input, the others wait for it on arrived; a READ takes its bytes from input,
 * and the root keeps them as the answer to its id (answer.c), which a thread
 * serving the same READ gives once it wakes.
 * Invariants, under the monitor's lock: reading is 1 while a thread waits in the
 * kernel's read, and then input is empty; input holds what was read and not yet
 * given to a READ.
 */
#include "root.h"
#include <fluke/console.h>
#include <fluke/monitor.h>
#include <fluke/syscalls.h>
#include <fluke/abi/error.h>
#include <string.h>

static char input[FLUKE_RPC_DATA];
static uint32_t input_len;
static int reading;
static fluke_cond_t arrived;

static int console_write(void *ctx, uint32_t alias, const char *buf, uint32_t len)
{
	(void)ctx, (void)alias;
	return fluke_console_write(buf, len);
}

/* ctx: the monitor, whose lock is held. */
static int console_read(void *ctx, uint32_t alias, uint32_t request, char *buf, uint32_t max,
			uint32_t *got)
{
	struct fluke_monitor *m = ctx;
	const struct fluke_rpc_msg *a;
	while (!(a = answer_find(alias, FLUKE_CONSOLE_READ, request))) {
		if (input_len > 0) {		/* a new request: answer it from input */
			*got = input_len < max ? input_len : max;
			memcpy(buf, input, *got);
			input_len -= *got;
			memmove(input, input + *got, input_len);
			return FLUKE_SUCCESS;
		}
		if (reading) {
			fluke_cond_wait(&arrived, &m->lock);
			continue;
		}
		reading = 1;
		fluke_mutex_unlock(&m->lock);
		int n = fluke_console_read(input, sizeof(input));
		fluke_mutex_lock(&m->lock);
		reading = 0;
		input_len = n > 0 ? (uint32_t)n : 0;
		fluke_cond_broadcast(&arrived);
		if (n < 0)
			return -n;		/* interrupted */
	}
	*got = a->len;			/* the first's answer: the same max */
	memcpy(buf, a->data, a->len);
	return a->op;
}

const struct fluke_console_server console_server = {
	.write = console_write, .read = console_read,
};

void console_init(void)
{
	fluke_cond_create(&arrived);
}
