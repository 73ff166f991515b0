/*
 * The process table and the Process protocol (<fluke/process.h>): pids are the
 * library's (slot + limit * generation), local to this manager; a process's
 * parent is the process whose SPAWN started it; it starts with a copy of its
 * parent's descriptors 0, 1 and 2 (the others are the parent's own, as if
 * close-on-exec: a shell's pipe ends stay out of the stages that must not hold
 * them) and ignored signals, in its parent's group. exec keeps them all. When a
 * process ends its descriptors close, its children lose their parent (and are
 * reaped as they end), and it stays a zombie until its parent reaps it (WAITPID,
 * or the Parent protocol's WAIT). Invariants: pm.h.
 */
#include "pm.h"
#include <fluke/abi/error.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sys/wait.h>

struct fluke_child *pm_running(uint32_t pid)
{
	struct fluke_child *c = fluke_monitor_child(&pm, pid);
	return pid && c->pid == pid && c->state == MON_RUNNING ? c : 0;
}

/* A process (running or a zombie) of pid, or NULL. */
static struct fluke_child *process(uint32_t pid)
{
	struct fluke_child *c = fluke_monitor_child(&pm, pid);
	return pid && c->pid == pid && (c->state == MON_RUNNING || c->state == MON_ENDED) ? c : 0;
}

static uint32_t slot_of(struct fluke_child *c)
{
	return c - pm.children;
}

void pm_proc_init(uint32_t slot, uint32_t ppid, int from)
{
	/* LAB 3: BEGIN SOLUTION */
	struct pm_proc *p = &procs[slot];
	memset(p, 0, sizeof(*p));
	p->pid = pm.children[slot].pid;
	p->ppid = ppid;
	p->pgid = from < 0 ? pm.children[slot].pid : procs[from].pgid;
	for (int fd = 0; fd < FLUKE_PROCESS_FDS; fd++)
		p->fds[fd] = fd > 2 ? -1 : from >= 0 ? pm_file_share(procs[from].fds[fd])
					  : pm_console_file();
	for (int sig = 0; sig < FLUKE_PROCESS_SIGNALS && from >= 0; sig++)
		if (procs[from].handlers[sig] == (uint32_t)SIG_IGN)
			p->handlers[sig] = (uint32_t)SIG_IGN;
	/* LAB 3: SKELETON */
	//| /* LAB 3: your code here */
	//| (void)slot, (void)ppid, (void)from;
	/* LAB 3: END */
	pm_asked_clear(slot);		/* a new process counts its request ids from 1 */
}

/* The library's hook after a Parent request of slot: a SPAWN that started a
 * child makes it slot's process. */
void pm_parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc)
{
	struct fluke_child *c;
	if (rpc->in.op != FLUKE_PARENT_SPAWN || rpc->out.op != FLUKE_SUCCESS)
		return;
	c = fluke_monitor_child(m, rpc->out.arg[0]);
	if (c->state == MON_RUNNING && procs[slot_of(c)].pid != c->pid)	/* not set up by
									 * a first SPAWN */
		pm_proc_init(slot_of(c), m->children[slot].pid, slot);
}

/* The library's hook once slot has ended (exit, signal, or an exec that failed
 * half way): close its descriptors, orphan its children, keep its status. */
void pm_ended(struct fluke_monitor *m, uint32_t slot, int status, int faulted)
{
	struct pm_proc *p = &procs[slot];
	uint32_t pid = m->children[slot].pid;
	(void)faulted;
	for (int fd = 0; fd < FLUKE_PROCESS_FDS; fd++)
		if (p->fds[fd] >= 0)
			pm_close(slot, fd);
	p->wstatus = p->termsig ? p->termsig : (status & 0xff) << 8;
	for (uint32_t s = 0; s < m->nchildren; s++) {
		if (procs[s].ppid != pid || s == slot)
			continue;
		procs[s].ppid = 0;
		if (m->children[s].state == MON_ENDED)
			m->children[s].state = MON_WAITED;	/* nobody will reap it */
	}
	if (p->ppid == 0 && m->children[slot].pid != m->top_pid)
		m->children[slot].state = MON_WAITED;
}

/* Whether child s of the asker matches waitpid's pid. */
static int wanted(uint32_t s, uint32_t asker, int pid)
{
	struct fluke_child *c = &pm.children[s];
	if ((c->state != MON_RUNNING && c->state != MON_ENDED) || procs[s].ppid != asker)
		return 0;
	if (pid > 0)
		return c->pid == (uint32_t)pid;
	if (pid == 0)
		return procs[s].pgid == procs[fluke_monitor_child(&pm, asker) - pm.children].pgid;
	return pid == -1 || procs[s].pgid == (uint32_t)-pid;
}

static int waitpid_(uint32_t slot, int pid, uint32_t options, uint32_t *got, int *status)
{
	/* LAB 3: BEGIN SOLUTION */
	uint32_t me = pm.children[slot].pid, seq = procs[slot].sigseq;
	if (options & ~(uint32_t)WNOHANG)
		return EINVAL;
	for (;;) {
		int any = 0, err;
		for (uint32_t s = 0; s < pm.nchildren; s++) {
			if (!wanted(s, me, pid))
				continue;
			any = 1;
			if (pm.children[s].state == MON_ENDED) {
				pm.children[s].state = MON_WAITED;
				*got = pm.children[s].pid;
				*status = procs[s].wstatus;
				return 0;
			}
		}
		if (!any)
			return ECHILD;
		if (options & WNOHANG) {
			*got = 0;
			return 0;
		}
		if ((err = pm_wait(slot, me, seq)) != 0)
			return err;
	}
	/* LAB 3: SKELETON */
	//| /* LAB 3: your code here */
	//| (void)slot, (void)pid, (void)options, (void)got, (void)status, (void)wanted;
	//| return ECHILD;
	/* LAB 3: END */
}

/* Signal sig to pid (see <signal.h>) from slot; a signal the asker catches comes
 * back in *self (its handler, to run in its own thread). */
static int kill_(uint32_t slot, int pid, int sig, uint32_t *self)
{
	uint32_t me = pm.children[slot].pid;
	int n = 0, to_me = 0;
	if (sig < 0 || sig >= FLUKE_PROCESS_SIGNALS)
		return EINVAL;
	if (pid > 0) {
		struct fluke_child *c = process(pid);
		if (!c)
			return ESRCH;
		n = 1;
		to_me = (uint32_t)pid == me;
		if (!to_me && sig)
			pm_signal(slot_of(c), sig);
	} else {
		uint32_t group = pid == 0 ? procs[slot].pgid : (uint32_t)-pid;
		for (uint32_t s = 0; s < pm.nchildren; s++) {
			if (pm.children[s].state != MON_RUNNING ||
			    (pid != -1 && procs[s].pgid != group) || (pid == -1 && s == slot))
				continue;
			n++;
			if (s == slot)
				to_me = 1;
			else if (sig)
				pm_signal(s, sig);
		}
	}
	if (!n)
		return ESRCH;
	if (to_me && sig && pm_fatal(slot, sig))
		pm_terminate(slot, sig);	/* the answer is dropped */
	else if (to_me && sig && procs[slot].handlers[sig] > (uint32_t)SIG_IGN)
		*self = procs[slot].handlers[sig];
	return 0;
}

static int sigaction_(uint32_t slot, int sig, uint32_t handler, uint32_t tramp, uint32_t *old)
{
	if (sig <= 0 || sig >= FLUKE_PROCESS_SIGNALS)
		return EINVAL;
	*old = procs[slot].handlers[sig];
	if (handler == ~0u)
		return 0;
	if (sig == SIGKILL || sig == SIGSTOP)
		return EINVAL;
	procs[slot].handlers[sig] = handler;
	if (handler > (uint32_t)SIG_IGN)
		procs[slot].trampoline = tramp;
	return 0;
}

static int setpgid_(uint32_t slot, uint32_t pid, uint32_t pgid)
{
	uint32_t me = pm.children[slot].pid;
	struct fluke_child *c = pm_running(pid ? pid : me);
	if ((int)pgid < 0)
		return EINVAL;
	if (!c || (c->pid != me && procs[slot_of(c)].ppid != me))
		return ESRCH;
	pgid = pgid ? pgid : c->pid;
	int exists = pgid == c->pid;
	for (uint32_t s = 0; s < pm.nchildren && !exists; s++)
		exists = pm.children[s].state == MON_RUNNING && procs[s].pgid == pgid;
	if (!exists)
		return EPERM;
	procs[slot_of(c)].pgid = pgid;
	return 0;
}

/* The index-th process: pid, parent, group and "STATE NAME" in out. */
static int ps(uint32_t index, struct fluke_rpc *rpc)
{
	for (uint32_t s = 0; s < pm.nchildren; s++) {
		struct fluke_child *c = &pm.children[s];
		if ((c->state != MON_RUNNING && c->state != MON_ENDED) || index--)
			continue;
		rpc->out.arg[0] = c->pid;
		rpc->out.arg[1] = procs[s].ppid;
		rpc->out.arg[2] = procs[s].pgid;
		rpc->out.len = snprintf(rpc->out.data, FLUKE_RPC_DATA, "%c %s",
					c->state == MON_RUNNING ? 'R' : 'Z', c->name) + 1;
		return FLUKE_SUCCESS;
	}
	return FLUKE_NOT_FOUND;
}

/* Replace slot's program; on success the asker's thread is gone (no answer). */
static int exec_(uint32_t slot, struct fluke_rpc *rpc)
{
	/* LAB 3: BEGIN SOLUTION */
	char *argv[FLUKE_PARENT_MAX_ARGS + 1];
	if (fluke_parent_words(rpc, rpc->in.arg[0], argv) < 0)
		return E2BIG;
	int rc = fluke_monitor_exec(&pm, slot, rpc->in.arg[0], argv);
	if (rc == FLUKE_SUCCESS) {
		for (int sig = 0; sig < FLUKE_PROCESS_SIGNALS; sig++)
			if (procs[slot].handlers[sig] != (uint32_t)SIG_IGN)
				procs[slot].handlers[sig] = (uint32_t)SIG_DFL;
		procs[slot].sigseq++;
	}
	return rc == FLUKE_SUCCESS ? 0 : rc == FLUKE_NOT_FOUND ? ENOENT
		: rc == FLUKE_INVALID_ARGUMENT ? ENOEXEC : ENOMEM;
	/* LAB 3: SKELETON */
	//| /* LAB 3: your code here */
	//| (void)slot, (void)rpc;
	//| return ENOSYS;
	/* LAB 3: END */
}

/* The reply to a Process request: err (a POSIX errno, or PM_WOULD_BLOCK) and
 * the words out. */
static void answer(struct fluke_rpc *rpc, int err, const uint32_t out[3])
{
	fluke_rpc_begin(rpc, err == PM_WOULD_BLOCK ? FLUKE_WOULD_BLOCK : FLUKE_SUCCESS);
	memcpy(rpc->out.arg, out, 3 * sizeof(uint32_t));
	rpc->out.arg[FLUKE_PROCESS_ERRNO] = err == PM_WOULD_BLOCK ? 0 : err;
}

/* Carry out rpc's request and answer it; a WRITE starts at byte *progress and
 * leaves there how far it got. Returns the errno (or PM_WOULD_BLOCK) it answered. */
static int perform(uint32_t slot, struct fluke_rpc *rpc, struct fluke_rpc *up,
		   uint32_t *progress)
{
	struct fluke_rpc_msg *in = &rpc->in;
	uint32_t a = in->arg[0], b = in->arg[1], out[3] = { 0, 0, 0 };
	int err, status = 0;
	static char buf[FLUKE_RPC_DATA];
	switch (in->op) {
	case FLUKE_PROCESS_GETPID:
		out[0] = pm.children[slot].pid;
		out[1] = procs[slot].ppid;
		out[2] = procs[slot].pgid;
		err = 0;
		break;
	case FLUKE_PROCESS_WAITPID:
		err = waitpid_(slot, (int)a, b, &out[0], &status);
		out[1] = status;
		break;
	case FLUKE_PROCESS_KILL:
		err = kill_(slot, (int)a, (int)b, &out[1]);
		out[2] = b;
		break;
	case FLUKE_PROCESS_SIGACTION:
		err = sigaction_(slot, (int)a, b, in->arg[2], &out[0]);
		break;
	case FLUKE_PROCESS_SETPGID:
		err = setpgid_(slot, a, b);
		break;
	case FLUKE_PROCESS_TCSETPGRP:
		pm_fg = a;
		err = 0;
		break;
	case FLUKE_PROCESS_READ:
		err = pm_read(slot, (int)a, buf, b < FLUKE_RPC_DATA ? b : FLUKE_RPC_DATA, &out[0]);
		if (err == 0) {
			fluke_rpc_begin(rpc, FLUKE_SUCCESS);
			fluke_rpc_put(rpc, buf, out[0]);
			return 0;
		}
		break;
	case FLUKE_PROCESS_WRITE:
		err = pm_write(slot, (int)a, rpc, up, progress);
		out[0] = *progress;
		break;
	case FLUKE_PROCESS_OPEN:
		in->data[fluke_rpc_in_len(rpc) ? fluke_rpc_in_len(rpc) - 1 : 0] = '\0';
		err = pm_open(slot, in->data, a, &out[0]);
		break;
	case FLUKE_PROCESS_CLOSE:
		err = pm_close(slot, (int)a);
		break;
	case FLUKE_PROCESS_DUP2:
		err = pm_dup2(slot, (int)a, b, &out[0]);
		break;
	case FLUKE_PROCESS_PIPE:
		err = pm_pipe(slot, &out[0], &out[1]);
		break;
	case FLUKE_PROCESS_FORK:
		err = pm_fork(slot, a, b, in->arg[FLUKE_RPC_REQUEST], &out[0]);
		break;
	case FLUKE_PROCESS_EXEC:
		if ((err = exec_(slot, rpc)) == 0)
			pm_asked_clear(slot);	/* the new program's ids start again */
		break;
	case FLUKE_PROCESS_PS:
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		rpc->out.op = ps(a, rpc);
		return 0;
	default:
		fluke_rpc_begin(rpc, FLUKE_INVALID_ARGUMENT);
		return 0;
	}
	answer(rpc, err, out);
	return err;
}

/* The record (asked.c) of a request of op, or -1: it has none. */
static int kind_of(uint32_t op)
{
	switch (op) {
	case FLUKE_PROCESS_READ:
		return PM_ASK_READ;
	case FLUKE_PROCESS_WRITE:
		return PM_ASK_WRITE;
	case FLUKE_PROCESS_OPEN:
		return PM_ASK_OPEN;
	case FLUKE_PROCESS_PIPE:
		return PM_ASK_PIPE;
	case FLUKE_PROCESS_WAITPID:
		return PM_ASK_WAITPID;
	default:
		return -1;
	}
}

void pm_process(uint32_t slot, struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	static const uint32_t none[3];
	int kind = kind_of(rpc->in.op);
	uint32_t ticket = 0, progress = 0;
	int err = kind < 0 ? 0 : pm_asked_begin(slot, kind, rpc, &ticket, &progress);
	if (err == PM_KEPT)
		return;
	if (err) {			/* gave up waiting for the first serving's answer */
		answer(rpc, err, none);
		return;
	}
	err = perform(slot, rpc, up, &progress);
	if (kind >= 0)
		pm_asked_end(slot, kind, ticket, rpc, err != PM_WOULD_BLOCK && err != EINTR,
			     progress);
}
