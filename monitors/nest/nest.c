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
 * Either way each client of this monitor has a client of its own at the parent
 * (<fluke/monitor.h>, "Clients"): its requests reach the parent through that
 * client's ports, forwarded or handed through, so the parent tells them from
 * this monitor's own and from each other's, and when the child ends the library
 * ends that client, and the parent takes back all it got. A forwarded request
 * is handed on by the kernel (fluke_ipc_forward, <fluke/monitor.h>): the
 * parent's server answers the child itself, so one that waits long (a Console
 * READ) holds up nothing here. When it ends it writes METRIC nest mode=M
 * forwarded=N (the requests it passed up), which tells the grader and
 * benchmarks what each level did, and
 * METRIC nest-children mode=M exited=N faulted=N parent-requests=N (its children
 * that exited, those it ended for an exception, and their Parent requests).
 */
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdio.h>
#include <string.h>

static struct fluke_monitor mon;
static int direct;
/* Under the monitor's lock: Parent requests of children; children that exited,
 * and that were ended for an exception. (The library counts the requests it
 * forwards: no .serve, so it passes each up without the monitor's lock, and the
 * parent may keep one waiting, a Console READ, while the other threads serve on.) */
static uint32_t asked, exited, faulted;

/* Handing through, a client gets the parent's ports of its own client there. */
static const fluke_ref_t *service(struct fluke_monitor *m, uint32_t client, uint32_t service)
{
	return direct && service != FLUKE_SVC_PARENT ? &m->clients[client].up[service] : 0;
}

static void parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc)
{
	(void)m, (void)slot, (void)rpc;
	asked++;
}

static void ended(struct fluke_monitor *m, uint32_t slot, int status, int fault)
{
	(void)m, (void)slot, (void)status;
	if (fault)
		faulted++;
	else
		exited++;
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs,
	.service = service, .parent = parent, .ended = ended,
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
		    (uint32_t)mon.forwarded);
	/* What its children did, from the library's hooks. */
	test_record("METRIC", "nest-children mode=%s exited=%u faulted=%u parent-requests=%u",
		    direct ? "direct" : "forward", exited, faulted, asked);
	return status;
}
