/*
 * The pass-through monitor: starts the next level of its boot configuration
 * (its arguments: [mode=forward|direct] [stack=...] prog=NAME args...) in a
 * space of its own memory, and serves that child's Common Protocols:
 *   forward (the default): the child gets this monitor's own ports, and every
 *     Console, MemPool and FileSystem request is forwarded, unchanged, to the
 *     same service of this monitor's parent; the answer comes back the same way;
 *   direct: the child's Parent GET hands it this monitor's own references to the
 *     parent's services, so its later calls bypass this level entirely.
 * The Parent protocol always stays here: exits and faults of the child are this
 * monitor's to see. When its first child ends, it exits with the same status.
 * Forwarding, it remembers the MemPool regions each child got and gives them
 * back when that child ends (the parent only knows them as this monitor's);
 * handing through, it asks the parent's MemPool to RELEASE what the child got
 * (the parent knows the child's client id, not that it has ended). A forwarded
 * request waits for the parent's answer on its own server thread
 * (<fluke/monitor.h>), so one that waits long (a Console READ) holds up nothing
 * else. When it ends it writes METRIC nest mode=M forwarded=N (the requests it
 * passed up), which tells the grader and benchmarks what each level did.
 */
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/fs.h>
#include <fluke/mempool.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fluke_monitor mon;
static int direct;
static uint32_t forwarded;	/* requests passed up, under the monitor's lock */

/* MemPool regions forwarded to children: grant i is in use when used != 0; client
 * asked for it through child slot's port. */
#define GRANTS	64
static struct grant {
	fluke_ref_t region;
	uint32_t used, slot, client, pad;
} grants[GRANTS];

static void forget(struct grant *g)
{
	fluke_ref_destroy(&g->region);
	g->used = 0;
}

/* A forwarded MemPool answer or request in rpc, of the child slot whose pid was
 * pid when it asked: note a GET's region (once: a GET sent again gets the same),
 * forget a PUT's, and a RELEASE's client's. A region granted to a child that has
 * ended meanwhile goes straight back. */
static void track(struct fluke_monitor *m, uint32_t slot, uint32_t pid, struct fluke_rpc *rpc)
{
	struct grant *g = grants, *unused = 0;
	if (rpc->in.op == FLUKE_MEMPOOL_GET && rpc->out.op == FLUKE_SUCCESS && rpc->out_refs) {
		if (m->children[slot].pid != pid || m->children[slot].state != MON_RUNNING) {
			fluke_mempool_put(&rpc->out_ref);
			return;
		}
		for (; g < grants + GRANTS; g++) {
			if (g->used && fluke_ref_compare(&g->region, &rpc->out_ref))
				return;
			if (!g->used && !unused)
				unused = g;
		}
		if (!unused)
			return;		/* not remembered: it goes back when this monitor ends */
		g = unused;
		fluke_ref_create(&g->region);
		fluke_ref_copy(&g->region, &rpc->out_ref);
		g->used = 1;
		g->slot = slot;
		g->client = rpc->in.arg[FLUKE_RPC_CLIENT];
	} else if (rpc->in.op == FLUKE_MEMPOOL_PUT && rpc->in_refs) {
		for (; g < grants + GRANTS; g++)
			if (g->used && fluke_ref_compare(&g->region, &rpc->in_ref))
				forget(g);
	} else if (rpc->in.op == FLUKE_MEMPOOL_RELEASE && rpc->out.op == FLUKE_SUCCESS) {
		for (; g < grants + GRANTS; g++)
			if (g->used && g->slot == slot && g->client == rpc->in.arg[FLUKE_RPC_CLIENT])
				forget(g);
	}
}

/* Read the program from the parent's file system into the heap. */
static int load(struct fluke_monitor *m, const char *name, const void **elf, uint32_t *size)
{
	uint32_t handle, got;
	(void)m;
	int rc = fluke_fs_open(name, &handle);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_fs_stat(handle, size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	char *buf = malloc(*size ? *size : 1);
	if (!buf)
		return FLUKE_NO_MEMORY;
	for (uint32_t off = 0; off < *size; off += got) {
		rc = fluke_fs_read(handle, off, buf + off, *size - off, &got);
		if (rc != FLUKE_SUCCESS || got == 0) {
			free(buf);
			return rc != FLUKE_SUCCESS ? rc : FLUKE_INVALID_ARGUMENT;
		}
	}
	*elf = buf;
	return FLUKE_SUCCESS;
}

static void unload(struct fluke_monitor *m, const void *elf)
{
	(void)m;
	free((void *)elf);
}

/* Forward the request to the parent's service, without the monitor's lock: the
 * parent may keep it waiting (a Console READ), and the other threads serve on. */
static void serve(struct fluke_monitor *m, uint32_t slot, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	const fluke_ref_t *port = fluke_service(service);
	uint32_t pid = m->children[slot].pid;
	if (!port) {
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
		return;
	}
	forwarded++;
	fluke_mutex_unlock(&m->lock);
	fluke_rpc_forward(port, up, rpc);
	fluke_mutex_lock(&m->lock);
	if (service == FLUKE_SVC_MEMPOOL)
		track(m, slot, pid, rpc);
}

/* Give back what child slot got from the parent's MemPool. */
static void ended(struct fluke_monitor *m, uint32_t slot)
{
	if (direct) {
		fluke_mempool_release(m->children[slot].client);
		return;
	}
	for (struct grant *g = grants; g < grants + GRANTS; g++) {
		if (g->used && g->slot == slot) {
			fluke_mempool_put(&g->region);
			forget(g);
		}
	}
}

static const fluke_ref_t *service(struct fluke_monitor *m, uint32_t service)
{
	(void)m;
	return direct && service != FLUKE_SVC_PARENT ? fluke_service(service) : 0;
}

static const struct fluke_monitor_ops ops = {
	.load = load, .unload = unload, .serve = serve, .service = service, .ended = ended,
};

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("nest: no prog= in my arguments\n");
		return 1;
	}
	if (conf.mode && strcmp(conf.mode, "forward") != 0 && strcmp(conf.mode, "direct") != 0) {
		printf("nest: unknown mode '%s'; the modes are: forward (the default), direct\n",
		       conf.mode);
		return 1;
	}
	direct = conf.mode && strcmp(conf.mode, "direct") == 0;
	if (fluke_monitor_start(&mon, "nest", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	int status = fluke_monitor_run(&mon, pid);
	/* What the mode did: a direct level passes nothing up after its start. */
	test_record("METRIC", "nest mode=%s forwarded=%u", direct ? "direct" : "forward",
		    forwarded);
	return status;
}
