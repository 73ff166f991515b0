/*
 * The security monitor: starts the next level of its boot configuration (its
 * arguments: [mode=RULES] [stack=...] prog=NAME args...) and serves its children
 * by forwarding, as nest does, every request its policy (secure.h) allows:
 *   FileSystem OPEN by the open=/deny= rules; READ and STAT only of a handle the
 *     same client has opened (handles are entry numbers anyone could guess);
 *     LIST tells only the names the rules allow;
 *   MemPool GET while every client of this monitor holds at most mem= pages
 *     (asked of the parent, MemPool STAT of each client's client there); COPY
 *     is answered FLUKE_INVALID_ARGUMENT, so the asker copies by GET;
 *   Console WRITE within rate=; Block as block= says; Parent SPAWN spawn= times;
 *     Process never (a process manager above this monitor would open files for
 *     its child past the rules: one goes below it, stack=secure,pm);
 *     IOPORTS never; each child's space runs cpu= guest instructions (the kernel
 *     counts what the space's threads run, in time-stamp counts, and a space a
 *     child makes gets what is left: <fluke/abi/vm.h>), then the kernel's
 *     FLUKE_EXC_CPU ends it, with a line saying how much it ran.
 * Every refusal is FLUKE_NOT_PERMITTED and a line "secure: CHILD what denied by
 * rule N" (or by the cap); the denials=th refusal, or a request past mem=, or
 * the CPU budget spent ends the child with a line saying why. Whatever is
 * refused is never passed up, so the parent sees only allowed requests.
 * When it ends it writes METRIC secure requests=N denied=N ended=N.
 * Invariant: handles[c] holds exactly the handles client c opened while live.
 */
#include "secure.h"
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/block.h>
#include <fluke/console.h>
#include <fluke/mempool.h>
#include <fluke/parent.h>
#include <fluke/space.h>
#include <fluke/tsc.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HANDLES		256		/* handles tracked per client */
#define TICK_TSC	10000000ull	/* a timer tick of guest time, in counts */
#define PAGE		4096u

static struct fluke_monitor mon;
static struct secure_policy pol;
/* Under the monitor's lock. */
static uint8_t handles[FLUKE_MON_CLIENTS][HANDLES / 8];
static uint32_t denials[FLUKE_MON_CHILDREN], spawned[FLUKE_MON_CHILDREN];
static uint64_t tokens[FLUKE_MON_CHILDREN], last_tsc[FLUKE_MON_CHILDREN];	/* rate= */
static uint32_t requests, denied, ended_by_policy;

/* Child slot's request, described by what, is refused: say so with why, answer
 * FLUKE_NOT_PERMITTED, and end the child at its denials=th refusal. */
static void deny(struct fluke_monitor *m, uint32_t slot, struct fluke_rpc *rpc,
		 const char *what, const char *why)
{
	struct fluke_child *c = &m->children[slot];
	denied++;
	printf("secure: %s %s denied %s\n", c->name, what, why);
	if (rpc)
		fluke_rpc_begin(rpc, FLUKE_NOT_PERMITTED);
	if (pol.denials && ++denials[slot] == pol.denials && c->state == MON_RUNNING) {
		printf("secure: %s ended: %u requests denied (denials=%u)\n", c->name,
		       pol.denials, pol.denials);
		ended_by_policy++;
		fluke_monitor_end(m, slot, 255, 1);
	}
}

/* End child slot for a cap it passed, saying which. */
static void over_cap(struct fluke_monitor *m, uint32_t slot, const char *fmt, ...)
{
	struct fluke_child *c = &m->children[slot];
	char why[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("secure: %s ended: %s\n", c->name, why);
	ended_by_policy++;
	fluke_monitor_end(m, slot, 255, 1);
}

/* LAB 6: BEGIN SOLUTION */
/* "by rule N" for name, or "(no rule allows it)": in buf. Whether it is allowed. */
static int allowed(const char *name, char *buf, uint32_t size)
{
	uint32_t r = policy_match(&pol, name);
	if (r)
		snprintf(buf, size, "by rule %u", r);
	else
		strlcpy(buf, "(no rule allows it)", size);
	return r && pol.rules[r - 1].allow;
}
/* LAB 6: END */

/* LAB 6: BEGIN SOLUTION */
/* The request's data, up to a NUL or its end, as a name in name (for the log:
 * cut to FLUKE_FS_NAME_MAX - 1 bytes, '?' for an unprintable byte). Whether it
 * is one the file system could hold: printable and short enough, so that what
 * the rules match is exactly what the server will look up. */
static int request_name(const struct fluke_rpc *rpc, char name[FLUKE_FS_NAME_MAX])
{
	uint32_t n = fluke_rpc_in_len(rpc), i = 0;
	int ok = 1;
	for (; i < n && rpc->in.data[i]; i++) {
		char ch = rpc->in.data[i];
		ok &= ch >= 0x20 && ch < 0x7f && i < FLUKE_FS_NAME_MAX - 1;
		if (i < FLUKE_FS_NAME_MAX - 1)
			name[i] = ch >= 0x20 && ch < 0x7f ? ch : '?';
	}
	name[i < FLUKE_FS_NAME_MAX - 1 ? i : FLUKE_FS_NAME_MAX - 1] = '\0';
	return ok;
}
/* LAB 6: END */

/* LAB 6: BEGIN SOLUTION */
/* Pages the monitor's clients hold at its parent, asked of each one there on
 * the serving thread's exchange up. */
static uint32_t pages_held(struct fluke_monitor *m, struct fluke_rpc *up)
{
	uint32_t pages = 0;
	for (struct fluke_client *cl = m->clients; cl < m->clients + m->nclients; cl++) {
		if (!cl->live)
			continue;
		fluke_rpc_begin(up, FLUKE_MEMPOOL_STAT);
		if (fluke_rpc_call(&cl->up[FLUKE_SVC_MEMPOOL], up) == FLUKE_SUCCESS)
			pages += up->in.arg[0] / PAGE;
	}
	return pages;
}
/* LAB 6: END */

/* Whether len more Console bytes fit in child slot's bucket (rate=), taking
 * them: it fills with rate bytes a tick, up to RATE_BURST ticks' worth. */
static int rate_take(uint32_t slot, uint32_t len)
{
	/* LAB 6: BEGIN SOLUTION */
	uint64_t now = fluke_rdtsc(), cap = (uint64_t)pol.rate * RATE_BURST;
	if (!pol.rate)
		return 1;
	if (!last_tsc[slot]) {		/* a new child: a full bucket */
		tokens[slot] = cap;
		last_tsc[slot] = now;
	}
	uint64_t ticks = (now - last_tsc[slot]) / TICK_TSC;
	tokens[slot] += ticks * pol.rate;
	last_tsc[slot] += ticks * TICK_TSC;
	if (tokens[slot] > cap)
		tokens[slot] = cap;
	if (tokens[slot] < len)
		return 0;
	tokens[slot] -= len;
	return 1;
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| (void)slot, (void)len;
	//| return 1;
	/* LAB 6: END */
}

/* 0 if the request may go up; else it has been answered (refused). */
static int check_fs(struct fluke_monitor *m, uint32_t client, uint32_t slot,
		    struct fluke_rpc *rpc)
{
	/* LAB 6: BEGIN SOLUTION */
	char name[FLUKE_FS_NAME_MAX], what[FLUKE_FS_NAME_MAX + 24], why[32];
	uint32_t h = rpc->in.arg[0];
	int named;
	switch (rpc->in.op) {
	case FLUKE_FS_OPEN:
		named = request_name(rpc, name);
		snprintf(what, sizeof(what), "open(%s)", name);
		if (!named)
			strlcpy(why, "(not a file name)", sizeof(why));
		else if (allowed(name, why, sizeof(why)))
			return 0;
		deny(m, slot, rpc, what, why);
		return 1;
	case FLUKE_FS_READ:
	case FLUKE_FS_READ_BULK:
	case FLUKE_FS_STAT:
		if (h < HANDLES && (handles[client][h / 8] & (1u << h % 8)))
			return 0;
		snprintf(what, sizeof(what), "%s(handle %u)",
			 rpc->in.op == FLUKE_FS_STAT ? "stat" : "read", h);
		deny(m, slot, rpc, what, "(not opened)");
		return 1;
	case FLUKE_FS_LIST:
		return 0;
	default:
		snprintf(what, sizeof(what), "FileSystem op %u", rpc->in.op);
		deny(m, slot, rpc, what, "(no such op)");
		return 1;
	}
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here (until then, every request is refused) */
	//| (void)client;
	//| deny(m, slot, rpc, "FileSystem request", "(lab 6: not written yet)");
	//| return 1;
	/* LAB 6: END */
}

/* What came back for an allowed FileSystem request: remember an opened handle;
 * hide a listed name the rules do not allow. */
static void answered_fs(uint32_t client, struct fluke_rpc *rpc)
{
	/* LAB 6: BEGIN SOLUTION */
	char name[FLUKE_FS_NAME_MAX], why[32];
	if (rpc->out.op != FLUKE_SUCCESS)
		return;
	if (rpc->in.op == FLUKE_FS_OPEN && rpc->out.arg[0] < HANDLES)
		handles[client][rpc->out.arg[0] / 8] |= (uint8_t)(1u << rpc->out.arg[0] % 8);
	if (rpc->in.op == FLUKE_FS_LIST) {
		uint32_t n = rpc->out.len < FLUKE_FS_NAME_MAX ? rpc->out.len : FLUKE_FS_NAME_MAX - 1;
		memcpy(name, rpc->out.data, n);
		name[n] = '\0';
		if (!allowed(name, why, sizeof(why)))
			fluke_rpc_begin(rpc, FLUKE_NOT_PERMITTED);
	}
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| (void)client, (void)rpc;
	/* LAB 6: END */
}

static void crash(void)
{
	printf("secure: crash=%u: faulting on purpose (a test hook)\n", pol.crash);
	*(volatile uint32_t *)0 = 0;
}

static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	uint32_t slot = m->clients[client].slot, op = rpc->in.op;
	char what[48];
	if (++requests == pol.crash && pol.crash)
		crash();
	switch (service) {
	case FLUKE_SVC_CONSOLE:
		if (op == FLUKE_CONSOLE_WRITE && !rate_take(slot, fluke_rpc_in_len(rpc))) {
			char why[24];
			snprintf(what, sizeof(what), "write(%u bytes)", fluke_rpc_in_len(rpc));
			snprintf(why, sizeof(why), "by rate=%u", pol.rate);
			deny(m, slot, rpc, what, why);
			return;
		}
		break;
	case FLUKE_SVC_MEMPOOL:
		if (op == FLUKE_MEMPOOL_COPY) {
			fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);	/* GET and copy */
			return;
		}
		/* LAB 6: BEGIN SOLUTION */
		if (op == FLUKE_MEMPOOL_GET && pol.mem) {
			uint32_t held = pages_held(m, up), asked = (rpc->in.arg[0] + PAGE - 1) / PAGE;
			if (held + asked > pol.mem) {
				snprintf(what, sizeof(what), "get(%u pages)", asked);
				deny(m, slot, rpc, what, "by mem=");
				/* More than all of it at once is a refusal; more than
				 * what is left, an exhaustion. */
				if (asked <= pol.mem && m->children[slot].state == MON_RUNNING)
					over_cap(m, slot, "memory cap of %u pages (mem=) exceeded: held "
						 "%u, asked %u more", pol.mem, held, asked);
				return;
			}
		}
		/* LAB 6: SKELETON */
		//| /* LAB 6: your code here: the memory cap (mem=) */
		/* LAB 6: END */
		break;
	case FLUKE_SVC_FS:
		if (check_fs(m, client, slot, rpc))
			return;
		fluke_monitor_forward(m, client, service, rpc, up);
		answered_fs(client, rpc);
		return;
	case FLUKE_SVC_BLOCK:
		if (pol.block == BLOCK_RW || (pol.block == BLOCK_RO && op != FLUKE_BLOCK_WRITE))
			break;
		snprintf(what, sizeof(what), "Block op %u", op);
		deny(m, slot, rpc, what, pol.block == BLOCK_RO ? "by block=ro" : "by block=none");
		return;
	case FLUKE_SVC_PROCESS:
		/* A process manager above would open files for it past the rules. */
		snprintf(what, sizeof(what), "Process op %u", op);
		deny(m, slot, rpc, what, "(a process manager goes below secure, not above)");
		return;
	default:
		break;
	}
	fluke_monitor_forward(m, client, service, rpc, up);
}

/* Child pid's space runs cpu= instructions (or what its own is already limited
 * to, if less: this monitor may itself be under a budget). */
static void budget(struct fluke_monitor *m, uint32_t pid)
{
	/* LAB 6: BEGIN SOLUTION */
	struct fluke_child *c = fluke_monitor_child(m, pid);
	fluke_space_state_t st;
	if (!pol.cpu || c->pid != pid || c->state != MON_RUNNING ||
	    fluke_space_get_state(&c->proc.space, &st, 0) != FLUKE_SUCCESS)
		return;
	if (!st.cpu_limit || pol.cpu < st.cpu_limit) {
		st.cpu_limit = pol.cpu;
		fluke_space_set_state(&c->proc.space, &st, 0);
	}
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| (void)m, (void)pid;
	/* LAB 6: END */
}

static int spawn(struct fluke_monitor *m, uint32_t slot, int argc, char **argv)
{
	/* LAB 6: BEGIN SOLUTION */
	char what[FLUKE_MON_NAME + 8], why[24];
	(void)argc;
	if (spawned[slot] < pol.spawn) {
		spawned[slot]++;
		return FLUKE_SUCCESS;
	}
	snprintf(what, sizeof(what), "spawn(%s)", argv[0]);
	snprintf(why, sizeof(why), "by spawn=%u", pol.spawn);
	deny(m, slot, 0, what, why);
	return FLUKE_NOT_PERMITTED;
	/* LAB 6: SKELETON */
	//| /* LAB 6: your code here */
	//| (void)m, (void)slot, (void)argc, (void)argv;
	//| return FLUKE_SUCCESS;
	/* LAB 6: END */
}

static void parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc)
{
	(void)slot;
	if (rpc->in.op == FLUKE_PARENT_SPAWN && rpc->out.op == FLUKE_SUCCESS)
		budget(m, rpc->out.arg[0]);
}

static int ioports(struct fluke_monitor *m, uint32_t slot, uint32_t first, uint32_t count)
{
	char what[40];
	snprintf(what, sizeof(what), "ioports(0x%x, %u)", first, count);
	deny(m, slot, 0, what, "(the policy lends no I/O ports)");
	return 0;
}

static int exception(struct fluke_monitor *m, uint32_t slot, const fluke_keeper_msg_t *k,
		     struct fluke_rpc *rpc)
{
	fluke_space_state_t st;
	(void)rpc;
	if (k->kind != FLUKE_KEEPER_EXCEPTION || k->exc != FLUKE_EXC_CPU ||
	    fluke_space_get_state(&m->children[slot].proc.space, &st, 0) != FLUKE_SUCCESS)
		return 0;
	over_cap(m, slot, "CPU budget of %llu instructions (%s) spent: it ran %llu", st.cpu_limit,
		 st.cpu_limit == pol.cpu ? "cpu=" : "what was left of mine", st.cpu_used);
	return 1;
}

static void dropped(struct fluke_monitor *m, uint32_t client)
{
	(void)m;
	memset(handles[client], 0, sizeof(handles[client]));
}

static void ended(struct fluke_monitor *m, uint32_t slot, int status, int faulted)
{
	(void)m, (void)status, (void)faulted;
	denials[slot] = spawned[slot] = 0;
	tokens[slot] = last_tsc[slot] = 0;	/* a new child starts with a full bucket */
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.dropped = dropped, .parent = parent, .ended = ended, .spawn = spawn,
	.ioports = ioports, .exception = exception,
	.threads = FLUKE_MON_THREADS,	/* all at once: no flood makes it grow */
};

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("secure: no prog= in my arguments\n");
		return 1;
	}
	policy_init(&pol);
	if (policy_read(&pol, conf.mode) < 0)
		return 1;
	if (fluke_monitor_start(&mon, "secure", &ops, &conf, &pid) != FLUKE_SUCCESS)
		return 1;
	budget(&mon, pid);
	int status = fluke_monitor_run(&mon, pid);
	test_record("METRIC", "secure requests=%u denied=%u ended=%u", requests, denied,
		    ended_by_policy);
	return status;
}
