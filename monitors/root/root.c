/*
 * The root monitor: the first task. It owns all free memory and the boot file
 * system, reads the boot configuration (the kernel command line, then the
 * boot.conf file), starts the outermost monitor of the stack (or the program)
 * and serves Parent, Console, MemPool, FileSystem and Block to every child. When that
 * first child ends, the root reports its cost and stops the machine with its
 * exit status.
 */
#include "root.h"
#include <fluke/monitor.h>
#include <fluke/console.h>
#include <fluke/abi/error.h>
#include <fluke/abi/io.h>
#include <fluke/test.h>
#include <stdio.h>
#include <string.h>
#include <fluke/tsc.h>

static struct fluke_monitor mon;

static int load(struct fluke_monitor *m, const char *name, const void **elf, uint32_t *size)
{
	uint32_t handle;
	const char *n;
	(void)m;
	int rc = bootfs_find(name, &handle);
	return rc == FLUKE_SUCCESS ? bootfs_get(handle, &n, elf, size) : rc;
}

static void unload(struct fluke_monitor *m, const void *elf)
{
	(void)m, (void)elf;	/* the image stays in the boot file system */
}

/* FileSystem requests change nothing; a Console or MemPool request sent again
 * gets the answer kept for it (answer.c). */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	uint32_t serial = m->clients[client].serial;
	(void)up;	/* the root has no parent to call */
	if (service == FLUKE_SVC_FS) {
		fluke_fs_dispatch(&bootfs_server, 0, rpc);
		return;
	}
	if (service == FLUKE_SVC_BLOCK) {
		fluke_block_dispatch(&disk_server, 0, rpc);
		return;
	}
	if (service == FLUKE_SVC_PROCESS) {	/* processes are a process manager's */
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
		return;
	}
	if (service != FLUKE_SVC_CONSOLE) {	/* the grant server knows resends */
		fluke_mempool_dispatch(&fluke_grant_server, rpc, rpc);
		return;
	}
	if (answer_again(rpc))
		return;
	fluke_console_dispatch(&console_server, m, rpc);
	/* A READ waits without the lock: its client may have ended meanwhile. */
	if (m->clients[client].live && m->clients[client].serial == serial)
		answer_keep(rpc);
}

/* A client has ended: its regions go back, and what was kept for its resends. */
static void dropped(struct fluke_monitor *m, uint32_t client)
{
	(void)m;
	fluke_grant_reclaim(client);
	answer_forget(client);
}

/* Of the devices the kernel lent the root (<fluke/abi/io.h>), a child may have
 * COM2 (a debugger's line); the disks stay the root's own driver's. */
static int ioports(struct fluke_monitor *m, uint32_t slot, uint32_t first, uint32_t count)
{
	(void)m, (void)slot;
	return first >= FLUKE_IO_COM2 && count <= 8 && first - FLUKE_IO_COM2 <= 8 - count;
}

static const struct fluke_monitor_ops ops = {
	.load = load, .unload = unload, .serve = serve, .dropped = dropped,
	.ioports = ioports,
};

/* Add the words of boot.conf (lines; # starts a comment) to c. */
static void read_boot_conf(struct fluke_conf *c)
{
	static char text[1024];
	char *words[FLUKE_CONF_WORDS];
	const char *name;
	const void *data;
	uint32_t handle, size;
	int n = 0;
	if (bootfs_find("boot.conf", &handle) != FLUKE_SUCCESS)
		return;
	bootfs_get(handle, &name, &data, &size);
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	for (char *p = text; p < text + size && n < FLUKE_CONF_WORDS;) {
		if (*p == '#')
			while (p < text + size && *p != '\n')
				*p++ = '\0';
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\0') {
			*p++ = '\0';
			continue;
		}
		words[n++] = p;
		while (p < text + size && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
	}
	fluke_conf_parse(c, n, words);
}

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	console_init();
	answer_init();
	read_boot_conf(&conf);
	if (conf_check(&conf) < 0)
		return 1;
	uint64_t start = fluke_rdtsc();
	if (fluke_monitor_start(&mon, "root", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	int status = fluke_monitor_run(&mon, pid);
	test_record("METRIC", "stack-run stack=%s prog=%s tsc=%llu",
		    conf.stack && *conf.stack ? conf.stack : "-", conf.prog,
		    (unsigned long long)(fluke_rdtsc() - start));
	if (status != 0)
		printf("root: %s exited with status %d\n",
		       fluke_monitor_child(&mon, pid)->name, status);
	return status;
}
