/*
 * IPC through ports and port sets (include/fluke/abi/ipc.h). There is no message
 * queue: a message moves straight from the sender's buffers to the receiver's
 * while one of them runs in the kernel and the other waits there. Whoever runs
 * does the work with the waiting peer: it copies, edits the peer's saved registers
 * (a step done for it) or completes the peer's call (RECEIVE is always the last
 * step, so a receive that ends ends the whole call).
 * Invariants:
 *  - a thread waiting in IPC is THREAD_BLOCKED with its call in restart form: EBX
 *    holds the steps left, EDX its params (up to date in its memory), ESI alias_out;
 *  - a server in WAIT_RECEIVE waits on its port set's servers queue; a client
 *    waiting for a server waits on the port's senders queue; every other IPC wait
 *    is on the peer's ipc_waiters queue;
 *  - a port with waiting senders and a port set is on that set's busy list (the
 *    list may also hold ports whose senders have since left: pruned lazily).
 */
#ifndef KERN_IPC_IPC_H
#define KERN_IPC_IPC_H

#include "object/object.h"
#include "object/link.h"
#include "thread/waitq.h"
#include <fluke/abi/ipc.h>

struct thread;

/* Connection sides, indices of thread.ipc_peer. */
#define IPC_CLIENT	0
#define IPC_SERVER	1

struct pset {
	struct object ob;
	struct waitq servers;	/* threads in WAIT_RECEIVE on it */
	struct port *busy;	/* ports that may have senders waiting, via busy_next */
};

struct port {
	struct object ob;
	uint32_t alias;
	struct link pset;	/* target: a port set, or none */
	struct waitq senders;	/* clients waiting for a server of the set */
	struct port *busy_next;
	int busy;		/* on its set's busy list */
};

/* What the generated dispatcher's arguments name, decoded by sys_ipc. */
struct ipc_args {
	struct port *port;	/* CONNECT, ONEWAY, IDEMPOTENT: NULL if the reference is null */
	struct pset *pset;	/* WAIT_RECEIVE */
};

/* Run the call in current's registers by the general path (sys_ipc tries ipc_fast
 * first): a result, or syscall_restart's value after the thread went to sleep. */
int ipc_call(const struct ipc_args *a);
/* fluke_ipc_forward: hand the idempotent request current holds on to p (ipc.c):
 * 0, or FLUKE_IPC_INVALID_DEST for a null p (nothing changed). */
int ipc_forward(struct port *p);
/* fluke_ipc_alert: interrupt the peer of current's side connection. */
int ipc_alert(int side);
/* t is dying: break its connections, drop or resend its idempotent calls. */
void ipc_thread_exit(struct thread *t);
/* t, stopped, runs again: a peer that waited in its connection for t to be
 * resumed (a server's ACK or OVER) tries its step again. */
void ipc_thread_resumed(struct thread *t);
/* A checkpointer sets t's side-x connection to peer (NULL: none): any old
 * connection of t on that side, and of peer on the other, ends first. For a
 * client-side connection, server_sends and unacked give its direction. */
void ipc_set_connection(struct thread *t, int x, struct thread *peer, int server_sends,
			int unacked);
/*
 * A request the kernel makes on current's behalf (kern/ipc/keeper.c): the
 * message (size bytes at msg, and the objects refs[0..nrefs) as references) goes
 * to a server waiting on p's set, and current waits for the reply; with no server
 * waiting, current waits on p for one. Either way current is blocked on return,
 * with keeper_call set: 0, or -1 if p has no set (nobody can ever answer).
 */
int ipc_kernel_call(struct port *p, const void *msg, uint32_t size, struct object *const *refs,
		    unsigned nrefs);

/* The ops words of the calls the fast path takes (fastpath.c says what each
 * does); each is a valid call as it stands. */
#define IPC_OPS_CALL_RPC	FLUKE_IPC_OPS(FLUKE_IPC_CLIENT | FLUKE_IPC_CONNECT | FLUKE_IPC_SEND | \
					      FLUKE_IPC_OVER | FLUKE_IPC_RECEIVE)
#define IPC_OPS_ANSWER_RPC	FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_ACK | FLUKE_IPC_SEND | \
					      FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE)
#define IPC_OPS_CALL_IDEM	FLUKE_IPC_OPS(FLUKE_IPC_IDEMPOTENT | FLUKE_IPC_SEND | FLUKE_IPC_RECEIVE)
#define IPC_OPS_ANSWER_IDEM	FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_REPLY | \
					      FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE)
#define IPC_OPS_WAIT		FLUKE_IPC_OPS(FLUKE_IPC_SERVER | FLUKE_IPC_WAIT_RECEIVE | \
					      FLUKE_IPC_RECEIVE)
#define IPC_OPS_FAST(ops)	((ops) == IPC_OPS_CALL_RPC || (ops) == IPC_OPS_ANSWER_RPC || \
				 (ops) == IPC_OPS_CALL_IDEM || (ops) == IPC_OPS_ANSWER_IDEM || \
				 (ops) == IPC_OPS_WAIT)

/* fastpath.c: the common calls with a peer already waiting, in one pass. 1 if it
 * ran current's call (its result in *result), 0 if the general path must. */
int ipc_fast(const struct ipc_args *a, int *result);
/* The same for FORWARD to p then WAIT_RECEIVE on ps (sys_ipc_forward's usual
 * call), as ipc_forward and ipc_call would do it. */
int ipc_fast_forward(struct port *p, struct pset *ps, int *result);
/* The delivery of ipc_kernel_call's message to server s, waiting on p's set, in
 * place: 0 if delivered (as ipc_transfer_kernel and give_alias would: the caller
 * completes s's call), -1 if the general path must (nothing changed). */
int ipc_fast_kernel(struct thread *s, struct port *p, const void *msg, uint32_t size,
		    struct object *const *refs, unsigned nrefs);
/* Shared by both paths (ipc.c). End the call of t, waiting in restart form, with
 * code. Whether t waits on `on` in a reliable call of the given side, at the given
 * step; whether t waits on server s for the reply to an idempotent call. */
void ipc_complete(struct thread *t, int code);
int ipc_waits_in(struct thread *t, struct thread *on, uint32_t step, int side);
int ipc_waits_reply(struct thread *t, struct thread *s);

/* Port sets and ports (pset.c, port.c). */
struct pset *port_pset(struct port *p);
/* The first server waiting on ps, or NULL. */
struct thread *pset_first_server(struct pset *ps);
/* Current waits on p's senders queue for a server. */
void port_wait(struct port *p);
/* t, blocked elsewhere, waits there instead (ipc_forward's client). */
void port_hold(struct port *p, struct thread *t);
/* A server is about to wait on ps: wake one client waiting on one of its ports. */
void pset_kick_sender(struct pset *ps);
/* p leaves its set's busy list (it is destroyed or moves to another set). */
void pset_unbusy(struct port *p);

/* One side of a transfer: its space, where its params live (EDX), and their
 * working copy. */
struct ipc_side {
	struct space *s;
	uint32_t at;
	fluke_ipc_params_t p;
};
/* Read t's params, which must be writable too: 0, or -1 (transfer.c). */
int ipc_side_load(struct ipc_side *e, struct thread *t);

/* transfer.c: move the message of from's params into to's. ATOMIC (one-way,
 * idempotent): what does not fit is dropped and from's params are left as they
 * were; otherwise both params advance. */
#define IPC_ATOMIC	1
struct ipc_moved {
	int from_empty;		/* from has no data or references left */
	int to_full;		/* 0, or FLUKE_IPC_RECV_MORE_DATA/_REFS: to has no room for what is left */
};
#define IPC_FAULT_FROM	1
#define IPC_FAULT_TO	2
#define IPC_PAUSED	3	/* not atomic: the thread's turn ended; both params advanced */
/* 0, IPC_PAUSED, or the IPC_FAULT_* of the side whose memory was not accessible. A
 * transfer that is not atomic stops, after a page at least, once a timer tick waits:
 * the kernel is not preempted, so a long message must not hold the CPU. */
int ipc_transfer(struct thread *from, struct thread *to, int atomic, struct ipc_moved *m);
/* Move a kernel-made message into to's receive params, all or nothing: data
 * truncated to fit, references linked while slots last. 0 or IPC_FAULT_TO. */
int ipc_transfer_kernel(const void *data, uint32_t size, struct object *const *refs,
			unsigned nrefs, struct thread *to);
/* Whether t's params are writable and, as parts asks, every buffer, table and
 * reference slot its message would take (IPC_CHECK_SEND) or fill (IPC_CHECK_RECV)
 * is accessible: 0, or -1 (the failed access is the one a keeper may be asked
 * about, vm/uaccess.h). A call checks before it delivers or waits, so that bad
 * params never leave it waiting forever (handouts/api.md §8.5). */
#define IPC_CHECK_SEND	1
#define IPC_CHECK_RECV	2
int ipc_check(struct thread *t, int parts);
/* The same checks of params p (read in place, or a copy) of space s. */
int ipc_params_check(struct space *s, const fluke_ipc_params_t *p, int parts);
/* The first word of from's message into *w: 1, or 0 if it has fewer than 4 bytes,
 * -1 if its memory was not accessible. */
int ipc_first_word(struct thread *from, uint32_t *w);

#endif
