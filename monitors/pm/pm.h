/*
 * The process manager (monitors/pm): what its parts share. Every child of the
 * monitor library (<fluke/monitor.h>) is a process here; struct pm_proc, in the
 * same slot, is what the manager adds: the parent process, the group, the wait
 * status, the descriptors and the signal state.
 *
 * Invariants (all under pm.lock, the library's m->lock):
 *  - procs[slot] describes the library's child slot while that child is
 *    MON_RUNNING or MON_ENDED (a zombie: its wait status waits for its parent);
 *    a reaped child is MON_WAITED, and its record means nothing.
 *  - A live process's fds[] name open files (files[], refs counts the
 *    descriptors naming each, in every process); a zombie has none open.
 *  - A pipe's readers and writers count the open files of its two ends.
 *  - sigseq changes whenever a signal makes the process's thread run a handler:
 *    a request of the process waiting in the manager sees it and gives up (the
 *    thread sends it again once the handler returns).
 *  - asked[k] (asked.c) holds the process's latest request of kind k with an
 *    id: ticket != 0 iff a server thread is serving it (done is then 0).
 *  - pm.mon.changed is broadcast whenever something a waiter may wait for
 *    changes: a child ends, a pipe gets data, room or loses an end, input comes,
 *    a request's serving ends.
 */
#ifndef PM_H
#define PM_H

#include <fluke/monitor.h>
#include <fluke/process.h>

#define PM_LIMIT	16	/* processes, unless stack=pm:N says */
#define PM_LIMIT_MAX	64
#define PM_FILES	128
#define PM_PIPES	32
#define PM_PIPE_BUF	512

/* The requests a process sends again with their ids (asked.c): one record each. */
enum { PM_ASK_READ, PM_ASK_WRITE, PM_ASK_OPEN, PM_ASK_PIPE, PM_ASK_WAITPID, PM_ASKS };

struct pm_asked {
	uint32_t request;		/* the latest of this kind with an id; 0: none */
	uint32_t ticket;		/* the thread serving it; 0: none is */
	uint32_t progress;		/* a WRITE given up half way: bytes written */
	int done;			/* its answer is kept: */
	uint32_t status, arg[4], len;	/* the reply's words (a READ's data: read_kept) */
};

struct pm_proc {
	uint32_t pid;			/* the process it was set up for */
	uint32_t ppid;			/* 0: none (its parent ended, or the top) */
	uint32_t pgid;
	int wstatus;			/* POSIX wait status, once ended */
	int termsig;			/* the signal ending it (0: exit) */
	int fds[FLUKE_PROCESS_FDS];	/* into files[]; -1: closed */
	uint32_t handlers[FLUKE_PROCESS_SIGNALS];	/* SIG_DFL 0, SIG_IGN 1, or an address */
	uint32_t trampoline;		/* where a handler starts (libc's fluke_sigtramp) */
	uint32_t sigseq;
	struct pm_asked asked[PM_ASKS];
	char read_kept[FLUKE_RPC_DATA];
};

extern struct fluke_monitor pm;
extern struct pm_proc *procs;
extern uint32_t pm_fg;			/* the console's foreground group; 0: none */

/* proc.c */
/* The live process (running) of pid, or NULL. */
struct fluke_child *pm_running(uint32_t pid);
/* Set slot up as a process of parent ppid (0: none), sharing slot from's
 * descriptors 0, 1 and 2 and its ignored signals (from -1: the console on 0,
 * 1 and 2). */
void pm_proc_init(uint32_t slot, uint32_t ppid, int from);
void pm_process(uint32_t slot, struct fluke_rpc *rpc, struct fluke_rpc *up);
void pm_ended(struct fluke_monitor *m, uint32_t slot, int status, int faulted);
void pm_parent(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc);

/* fork.c: a copy of slot's process as its child, its pid in *pid, started
 * at entry with esp; 0, EAGAIN (no slot, client or memory) or ENOSYS (its
 * memory holds objects a fork cannot copy). */
int pm_fork(uint32_t slot, uint32_t entry, uint32_t esp, uint32_t request, uint32_t *pid);

/* signal.c */
/* Send sig to slot (not the asker: its thread waits in its call): its handler
 * runs, or its default action ends it, or nothing happens. */
void pm_signal(uint32_t slot, int sig);
/* Send sig to every process of group pgid; how many there were. */
int pm_signal_group(uint32_t pgid, int sig);
/* End slot for sig: wait status sig, the library's status 128 + sig. */
void pm_terminate(uint32_t slot, int sig);
/* Whether sig's action for slot is to end it. */
int pm_fatal(uint32_t slot, int sig);
int pm_exception(struct fluke_monitor *m, uint32_t slot, const fluke_keeper_msg_t *k,
		 struct fluke_rpc *rpc);

/* asked.c: resends of the requests with ids that change something and may wait. */
#define PM_KEPT		(-2)	/* pm_asked_begin: the kept answer is in rpc->out */
/* Before serving rpc, a request of kind from slot: PM_KEPT; 0 with *ticket and
 * *progress (the bytes a WRITE had written when its first serving gave up) set:
 * serve it, then call pm_asked_end; or PM_WOULD_BLOCK or EINTR while waiting
 * for another thread serving the same request. */
int pm_asked_begin(uint32_t slot, int kind, struct fluke_rpc *rpc, uint32_t *ticket,
		   uint32_t *progress);
/* After serving it: keep the answer in rpc->out if done, else how far it got. */
void pm_asked_end(uint32_t slot, int kind, uint32_t ticket, const struct fluke_rpc *rpc,
		  int done, uint32_t progress);
/* Forget slot's records (a new process in the slot, or a new program). */
void pm_asked_clear(uint32_t slot);

/* A wait that may not happen now (no server thread to spare): the request is
 * answered FLUKE_WOULD_BLOCK and sent again. */
#define PM_WOULD_BLOCK	(-1)

/* fd.c: each returns 0, a POSIX errno or PM_WOULD_BLOCK. up is the serving
 * thread's exchange. */
int pm_read(uint32_t slot, int fd, char *buf, uint32_t max, uint32_t *got);
/* *put: on entry the bytes of rpc's data already written (a resend's progress),
 * on return all written so far (on PM_WOULD_BLOCK or EINTR as well). */
int pm_write(uint32_t slot, int fd, struct fluke_rpc *rpc, struct fluke_rpc *up, uint32_t *put);
int pm_open(uint32_t slot, const char *name, uint32_t flags, uint32_t *fd);
int pm_close(uint32_t slot, int fd);
int pm_dup2(uint32_t slot, int fd, uint32_t newfd, uint32_t *got);
int pm_pipe(uint32_t slot, uint32_t *rfd, uint32_t *wfd);
/* Share open file f once more (a descriptor copied); -1: the console. */
int pm_file_share(int f);
/* The console's open file (made on first use), shared once more; -1: none left. */
int pm_console_file(void);
/* Wait for pm.mon.changed, if another server thread is free to receive (else
 * PM_WOULD_BLOCK at once); then 0 if slot's process (pid, sigseq seq) is still
 * running and no signal came meanwhile, else EINTR. */
int pm_wait(uint32_t slot, uint32_t pid, uint32_t seq);

/* tty.c: the console's input, read by a thread of its own. */
void pm_tty_start(void);
int pm_tty_read(uint32_t slot, char *buf, uint32_t max, uint32_t *got);

#endif
