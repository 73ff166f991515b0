/*
 * The root's Console: the kernel console. A READ sleeps in the kernel until
 * input arrives, so an idle shell leaves the CPU idle, and without the monitor's
 * lock, so the other server threads serve on meanwhile.
 *
 * A READ sent again (<fluke/console.h>) finds the server thread of the first
 * still asleep in the kernel; whichever thread gets the input, the client must
 * get it once. So one thread at a time reads the kernel console, into input, the
 * others wait for it on arrived; a READ takes its bytes from input and keeps them
 * as its port's last answer, with its id, which a READ of the same id is given.
 * Invariants, under the monitor's lock: reading is 1 while a thread waits in the
 * kernel's read, and then input is empty; input holds what was read and not yet
 * given to a READ.
 */
#include "root.h"
#include <fluke/console.h>
#include <fluke/monitor.h>
#include <fluke/syscalls.h>
#include <fluke/error.h>
#include <string.h>

static char input[FLUKE_RPC_DATA];
static uint32_t input_len;
static int reading;
static fluke_cond_t arrived;

/* The last answer to each child's Console port, and the id it answered. */
static struct answer {
	uint32_t client, request;
	uint32_t len;
	char data[FLUKE_RPC_DATA];
} answers[FLUKE_MON_CHILDREN];

static int console_write(void *ctx, uint32_t alias, const char *buf, uint32_t len)
{
	(void)ctx, (void)alias;
	return fluke_console_write(buf, len);
}

/* ctx: the monitor, whose lock is held. */
static int console_read(void *ctx, uint32_t alias, uint32_t client, uint32_t request,
			char *buf, uint32_t max, uint32_t *got)
{
	struct fluke_monitor *m = ctx;
	struct answer *a = &answers[FLUKE_MON_SLOT(alias)];
	while (!request || a->client != client || a->request != request) {
		if (input_len > 0) {		/* a new request: answer it from input */
			a->client = client;
			a->request = request;
			a->len = input_len < max ? input_len : max;
			memcpy(a->data, input, a->len);
			input_len -= a->len;
			memmove(input, input + a->len, input_len);
			break;
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
	memcpy(buf, a->data, a->len);
	*got = a->len;
	return FLUKE_SUCCESS;
}

const struct fluke_console_server console_server = {
	.write = console_write, .read = console_read,
};

void console_init(void)
{
	fluke_cond_create(&arrived);
}
