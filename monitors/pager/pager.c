/*
 * The demand pager: a monitor that starts the next level of its boot
 * configuration (its arguments: [mode=OPTIONS] [stack=...] prog=NAME args...)
 * and serves that child MemPool itself, from memory it backs lazily (pager.h:
 * zero-fill on first touch, a resident-frame budget with clock eviction, swap
 * to its parent's disk, copy-on-write with MemPool COPY). Console and
 * FileSystem are forwarded to its parent like nest's, and Block is its parent's
 * disk past the swap area it keeps, renumbered from 0 (<fluke/block.h>), so a
 * pager under a pager swaps to a slice of its own. OPTIONS are words joined by
 * '+': frames=N (the budget, in pages; default 128), swap=N (sectors of the disk
 * to keep for swap, 0: none; default half of it). When its first child ends it writes
 * METRIC pager faults=N zero=N cow=N evict=N swapin=N swapout=N refused=N (every
 * keeper request; zero-fills; copies on write; frames taken back; pages read
 * from and written to swap; requests it could not serve) and exits with the
 * child's status; it says what it has at start in INFO pager frames=N slots=N
 * disk=N.
 */
#include "pager.h"
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/block.h>
#include <fluke/mempool.h>
#include <fluke/thread.h>
#include <fluke/start.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FRAMES	128
#define MAX_FRAMES	65536

static struct fluke_monitor mon;
static uint32_t last_put[FLUKE_MON_CLIENTS];	/* each client's last PUT's id */

/* MemPool, under pager_lock; ctx is the request (for its id). */
static int pool_get(void *ctx, uint32_t alias, uint32_t bytes, fluke_ref_t *region_out)
{
	const struct fluke_rpc *rpc = ctx;
	uint32_t client = FLUKE_MON_CLIENT(alias), request = rpc->in.arg[FLUKE_RPC_REQUEST];
	struct area *a = area_find(client, 0, request);
	if (bytes == 0 || bytes % PAGE)
		return FLUKE_INVALID_ARGUMENT;
	if (!a) {
		/* More than could be backed now, even if every other page stayed out. */
		if (bytes / PAGE > vm_capacity() - vm_backed())
			return FLUKE_NO_MEMORY;
		int rc = area_new(client, request, bytes / PAGE, &a);
		if (rc != FLUKE_SUCCESS)
			return rc;
	}
	fluke_ref_copy(region_out, &a->r_ref);
	return FLUKE_SUCCESS;
}

static int pool_put(void *ctx, uint32_t alias, const fluke_ref_t *region)
{
	const struct fluke_rpc *rpc = ctx;
	uint32_t client = FLUKE_MON_CLIENT(alias), request = rpc->in.arg[FLUKE_RPC_REQUEST];
	struct area *a = area_find(client, region, 0);
	if (!a)
		return request && request == last_put[client] ? FLUKE_SUCCESS : FLUKE_NOT_FOUND;
	area_free(a);
	last_put[client] = request;
	return FLUKE_SUCCESS;
}

static int pool_stat(void *ctx, uint32_t alias, uint32_t *granted, uint32_t *free)
{
	(void)ctx;
	*granted = area_bytes(FLUKE_MON_CLIENT(alias));
	*free = (vm_capacity() - vm_backed()) * PAGE;
	return FLUKE_SUCCESS;
}

/* COPY copies any area whose region the asker names, whoever got it (holding
 * the reference is the right to the contents: pm asks through a forked
 * process's client for a copy of its parent's heap), for the asker. */
static int pool_copy(void *ctx, uint32_t alias, uint32_t request, const fluke_ref_t *region,
		     fluke_ref_t *copy_out)
{
	uint32_t client = FLUKE_MON_CLIENT(alias);
	struct area *a = area_find(NONE, region, 0), *b = area_find(client, 0, request);
	(void)ctx;
	if (!b) {
		if (!a)
			return FLUKE_NOT_FOUND;
		int rc = area_copy(a, client, request, &b);
		if (rc != FLUKE_SUCCESS)
			return rc;
	}
	fluke_ref_copy(copy_out, &b->r_ref);
	return FLUKE_SUCCESS;
}

static const struct fluke_mempool_server pool_server = {
	.get = pool_get, .put = pool_put, .stat = pool_stat, .copy = pool_copy,
};

/* A child's Block request, on the parent's disk past the swap area: answer SIZE
 * and requests out of range here (1); renumber the others for the parent (0). */
static int block_here(struct fluke_rpc *rpc)
{
	struct fluke_rpc_msg *in = &rpc->in;
	uint32_t avail = disk_sectors - kept_sectors, first = in->arg[0], count = in->arg[1];
	if (!disk_sectors)
		return 0;		/* the parent answers: no disk */
	if (in->op == FLUKE_BLOCK_SIZE) {
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		rpc->out.arg[0] = avail;
		return 1;
	}
	if (in->op != FLUKE_BLOCK_READ && in->op != FLUKE_BLOCK_WRITE)
		return 0;
	if (first >= avail || count > avail - first) {
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
		return 1;
	}
	in->arg[0] = first + kept_sectors;
	return 0;
}

/* MemPool is served here; Console, FileSystem and (renumbered) Block go on to
 * the same service of the client's own client at the parent, without the
 * monitor's lock, as in nest. */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	if (service == FLUKE_SVC_MEMPOOL) {
		fluke_mutex_lock(&pager_lock);
		fluke_mempool_dispatch(&pool_server, rpc, rpc);
		fluke_mutex_unlock(&pager_lock);
		return;
	}
	if (service == FLUKE_SVC_BLOCK && block_here(rpc))
		return;
	fluke_monitor_forward(m, client, service, rpc, up);
}

/* A client has ended: its areas, frames and swap slots come back. */
static void dropped(struct fluke_monitor *m, uint32_t client)
{
	(void)m;
	fluke_mutex_lock(&pager_lock);
	area_free_client(client);
	last_put[client] = 0;
	fluke_mutex_unlock(&pager_lock);
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.dropped = dropped,
};

/* Parse mode= (frames=N+swap=N); 0, or -1 after saying what is wrong. */
static int options(const char *mode, uint32_t *frames, uint32_t *swap)
{
	static char buf[128];
	*frames = DEFAULT_FRAMES;
	*swap = NONE;
	if (!mode)
		return 0;
	strlcpy(buf, mode, sizeof(buf));
	for (char *w = buf, *next; w; w = next) {
		next = strchr(w, '+');
		if (next)
			*next++ = '\0';
		if (strncmp(w, "frames=", 7) == 0 &&
		    fluke_conf_number(w + 7, 1, MAX_FRAMES, frames))
			continue;
		if (strncmp(w, "swap=", 5) == 0 &&
		    fluke_conf_number(w + 5, 0, 0x7fffffff, swap))
			continue;
		printf("pager: bad option '%s' in mode=%s; the options are frames=N (pages, 1 to "
		       "%u) and swap=N (sectors, 0 for none), joined by +, e.g. pager:frames=16+swap=1024\n",
		       w, mode, MAX_FRAMES);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	static fluke_thread_t fault_thread;
	static char fault_stack[16384] __attribute__((aligned(16)));
	uint32_t pid, nf, swap;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("pager: no prog= in my arguments\n");
		return 1;
	}
	if (options(conf.mode, &nf, &swap) < 0)
		return 1;
	if (frames_init(nf) < 0) {
		printf("pager: my parent has no memory for %u frames\n", nf);
		return 1;
	}
	if (swap_init(swap) < 0 || vm_init() != FLUKE_SUCCESS ||
	    fluke_thread_start(&fault_thread, vm_serve, 0, fault_stack, sizeof(fault_stack),
			       FLUKE_PRIO_DEFAULT) != FLUKE_SUCCESS)
		return 1;
	test_record("INFO", "pager frames=%u slots=%u disk=%u", nframes, nslots, disk_sectors);
	if (fluke_monitor_start(&mon, "pager", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	int status = fluke_monitor_run(&mon, pid);
	fluke_mutex_lock(&pager_lock);
	test_record("METRIC", "pager faults=%u zero=%u cow=%u evict=%u swapin=%u swapout=%u "
		    "refused=%u", stats.faults, stats.zero, stats.cow, stats.evict, stats.swapin,
		    stats.swapout, stats.refused);
	return status;
}
