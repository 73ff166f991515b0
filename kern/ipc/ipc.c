/*
 * The IPC operations: one-way sends, idempotent calls and replies, and the steps
 * of reliable connections. The running thread works on its own registers (EBX:
 * the steps left, cleared one by one) and with peers that wait in IPC (see the
 * invariants in ipc.h). A reliable connection's direction lives in its client
 * thread: ipc_sender is the end that sends, or that will once it ACKs (ipc_acked 0:
 * the other end did OVER and both receive until then).
 */
#include "ipc/ipc.h"
#include "thread/thread.h"
#include "syscall/syscall.h"
#include "arch/trap.h"
#include "vm/uaccess.h"
#include "ipc/keeper.h"
#include <fluke/abi/error.h>

#define STEP_DONE	(-1)	/* a step's result: go on with the next step */
#define FLAVOURS	(FLUKE_IPC_ONEWAY | FLUKE_IPC_IDEMPOTENT)

/* The ops word with its low half (steps left) reset to the steps asked. */
static uint32_t whole(uint32_t ops)
{
	return (ops & 0xffff0000u) | ops >> 16;
}

static int side_of(uint32_t ops)
{
	return ops & FLUKE_IPC_SERVER ? IPC_SERVER : IPC_CLIENT;
}

static uint32_t first_step(uint32_t ops)
{
	uint32_t steps = ops & FLUKE_IPC_STEPS;
	return steps & -steps;
}

/* Current's call ends with code. */
static int finish(int code)
{
	current->tf->ebx = whole(current->tf->ebx);
	return code;
}

/* End the call of t, waiting in restart form, with code (ipc.h). */
void ipc_complete(struct thread *t, int code)
{
	t->kfault.refused = 0;
	t->tf->eax = code;
	t->tf->ebx = whole(t->tf->ebx);
	t->tf->eip += SYSCALL_INSN_LEN;
	waitq_wake(t);
}

/*
 * Faults in user memory during a transfer. The thread whose memory it is asks its
 * region's keeper, if there is one, and runs its call again (kern/ipc/keeper.h);
 * every call is in restart form with its progress recorded, so nothing repeats.
 */

/* Current's own memory faulted: with a keeper to ask, the registers stay as they
 * are (EBX the steps left, the params what has moved) for the call to run again;
 * otherwise the call ends. */
static int own_fault(void)
{
	if (keeper_defer_fault(current))
		return FLUKE_BAD_ADDRESS;	/* never seen: syscall.c runs the call again */
	return finish(FLUKE_BAD_ADDRESS);
}

/* The memory of t, waiting in its call, faulted: it asks its keeper and runs its
 * call again, or, with no keeper to ask, its call ends. */
static void peer_fault(struct thread *t)
{
	if (keeper_defer_fault(t))
		waitq_wake(t);
	else
		ipc_complete(t, FLUKE_BAD_ADDRESS);
}

/* Current waits on q, the queue of ob, and runs its call again when woken. */
static int sleep_on(struct waitq *q, struct object *ob)
{
	if (thread_take_interrupt())
		return finish(FLUKE_INTERRUPTED);
	waitq_sleep(q, ob);
	return syscall_restart(current->tf);
}

static int wait_for(struct thread *peer)
{
	return sleep_on(&peer->ipc_waiters, peer->obj);
}

/* Whether t waits on `on` in a reliable call of the given side. (A thread in a
 * kernel-made call has user registers, not a call, in its frame.) */
static int waits_reliable(struct thread *t, struct thread *on, int side)
{
	return t->state == THREAD_BLOCKED && t->wq == &on->ipc_waiters && !t->keeper_call &&
	       !(t->tf->ebx & FLAVOURS) && side_of(t->tf->ebx) == side;
}

/* ... and at the given step. */
int ipc_waits_in(struct thread *t, struct thread *on, uint32_t step, int side)
{
	return waits_reliable(t, on, side) && first_step(t->tf->ebx) == step;
}

/* Whether t waits on server s for the reply to an idempotent call. */
int ipc_waits_reply(struct thread *t, struct thread *s)
{
	return t->state == THREAD_BLOCKED && t->wq == &s->ipc_waiters &&
	       (t->keeper_call || (t->tf->ebx & FLUKE_IPC_IDEMPOTENT));
}

/* The thread that holds the direction of t's connection on side x. */
static struct thread *client_of(struct thread *t, int x)
{
	return x == IPC_CLIENT ? t : t->ipc_peer[IPC_SERVER];
}

/* Whether t may send on its side-x connection (which exists). */
static int is_sender(struct thread *t, int x)
{
	struct thread *c = client_of(t, x);
	return c->ipc_sender == x && c->ipc_acked;
}

/* What a step returns when its connection is gone. */
static int disconnected(uint32_t step)
{
	switch (step) {
	case FLUKE_IPC_ACK:
		return FLUKE_IPC_ACK_DISCONNECTED;
	case FLUKE_IPC_SEND:
		return FLUKE_IPC_SEND_DISCONNECTED;
	case FLUKE_IPC_OVER:
		return FLUKE_IPC_OVER_DISCONNECTED;
	default:
		return FLUKE_IPC_RECV_DISCONNECTED;
	}
}

/* End t's side-x connection; a peer waiting in it learns at once. */
static void disconnect(struct thread *t, int x)
{
	struct thread *p = t->ipc_peer[x];
	if (!p)
		return;
	t->ipc_peer[x] = NULL;
	p->ipc_peer[!x] = NULL;
	if (waits_reliable(p, t, !x))
		ipc_complete(p, disconnected(first_step(p->tf->ebx)));
}

/* Server s no longer holds an idempotent request. */
static void forget(struct thread *s)
{
	if (s->ipc_idem_client)
		s->ipc_idem_client->ipc_idem_server = NULL;
	s->ipc_idem_client = NULL;
}

/* Server s drops its request unanswered: the client, if it still waits, resends. */
static void drop_request(struct thread *s)
{
	struct thread *c = s->ipc_idem_client;
	forget(s);
	if (c && ipc_waits_reply(c, s))
		waitq_wake(c);
}

/* Tell server s, waiting in WAIT_RECEIVE, which port its message came through. */
static int give_alias(struct thread *s, struct port *p)
{
	uint32_t at = s->tf->esi;
	return at ? copy_to_user(s->space, at, &p->alias, sizeof(p->alias)) : 0;
}

/* Current found no server: it waits on the port for one. */
static int wait_server(struct port *p)
{
	if (thread_take_interrupt())
		return finish(FLUKE_INTERRUPTED);
	port_wait(p);
	return syscall_restart(current->tf);
}

static struct thread *first_server(struct port *p)
{
	struct pset *ps = port_pset(p);
	return ps ? pset_first_server(ps) : NULL;
}

/*
 * Hand current's message, whole or truncated, to a server waiting on p's set,
 * whose call completes with code. *to: that server, or NULL if none waits.
 * 0, or -1 if current's own memory faulted (a server at fault takes its fault).
 */
static int deliver(struct port *p, int code, struct thread **to)
{
	struct thread *s;
	struct ipc_moved m;
	while ((s = first_server(p)) != NULL) {
		int fault = give_alias(s, p) < 0 ? IPC_FAULT_TO : ipc_transfer(current, s, IPC_ATOMIC, &m);
		if (fault == IPC_FAULT_FROM)
			return -1;
		if (!fault) {
			ipc_complete(s, code);
			break;
		}
		peer_fault(s);
	}
	*to = s;
	return 0;
}

static int oneway(struct port *p)
{
	struct thread *s;
	if (!p)
		return finish(FLUKE_IPC_INVALID_DEST);
	if (ipc_check(current, IPC_CHECK_SEND) < 0)
		return own_fault();	/* checked first: with no server too */
	if (deliver(p, FLUKE_IPC_RECV_ONEWAY, &s) < 0)
		return own_fault();
	return finish(s ? FLUKE_SUCCESS : FLUKE_IPC_NO_RECEIVER);
}

/* The registers never change: woken other than by the reply, the call resends.
 * The whole message, both ways, is checked before it is delivered or waits. */
static int idempotent(struct port *p)
{
	struct thread *s;
	if (!p)
		return finish(FLUKE_IPC_INVALID_DEST);
	if (ipc_check(current, IPC_CHECK_SEND | IPC_CHECK_RECV) < 0)
		return own_fault();
	if (thread_take_interrupt())
		return finish(FLUKE_INTERRUPTED);
	if (deliver(p, FLUKE_IPC_RECV_IDEMPOTENT, &s) < 0)
		return own_fault();
	if (!s)
		return wait_server(p);
	if (current->ipc_idem_server)
		forget(current->ipc_idem_server);
	s->ipc_idem_client = current;
	current->ipc_idem_server = s;
	waitq_sleep(&s->ipc_waiters, s->obj);
	return syscall_restart(current->tf);
}

/* Current's reply faulted in its own memory: with a keeper to ask, the request
 * stays pending while it does and the reply runs again; else the client resends. */
static int reply_fault(struct thread *c)
{
	if (keeper_defer_fault(current))
		return FLUKE_BAD_ADDRESS;	/* never seen: syscall.c runs the call again */
	forget(current);
	waitq_wake(c);
	return finish(FLUKE_BAD_ADDRESS);
}

/* Answer the kernel's request for c: a first word other than 0 says it failed. */
static int reply_kernel(struct thread *c)
{
	uint32_t w = 0;
	int got = ipc_first_word(current, &w);
	if (got < 0)
		return reply_fault(c);
	forget(current);
	c->keeper_result = got && w != 0;
	waitq_wake(c);
	return STEP_DONE;
}

static int reply(void)
{
	struct thread *c = current->ipc_idem_client;
	struct ipc_moved m;
	if (!c)
		return STEP_DONE;	/* no request pending: ignored */
	if (!ipc_waits_reply(c, current)) {
		forget(current);
		return STEP_DONE;	/* the client went away or resent elsewhere */
	}
	if (c->keeper_call)
		return reply_kernel(c);
	int fault = ipc_transfer(current, c, IPC_ATOMIC, &m);
	if (fault == IPC_FAULT_FROM)
		return reply_fault(c);
	forget(current);
	if (fault)
		peer_fault(c);		/* it resends once its keeper has answered */
	else
		ipc_complete(c, FLUKE_SUCCESS);
	return STEP_DONE;
}

/*
 * FORWARD: current, a server holding an idempotent request, hands it on to port
 * p. A server waiting on p's set receives the client's message straight from the
 * client's buffers (its params are as it sent them: an idempotent call never
 * advances them), through p (p's alias), and holds the request: its REPLY goes to
 * the client, which waits on it now. With no server waiting, the client waits
 * on p for one, and once woken sends its call again, to the port it called (whose
 * server hands it on again). Either way current holds no request afterwards. A
 * request the kernel made (a keeper's) has no message in the client's memory: it
 * is answered as failed. A client whose memory faults asks its keeper and
 * resends; a server whose memory faults takes its fault and the next one is tried.
 */
int ipc_forward(struct port *p)
{
	struct thread *c = current->ipc_idem_client, *s;
	struct ipc_moved m;
	if (!p)
		return FLUKE_IPC_INVALID_DEST;
	if (!c)
		return 0;		/* no request held: ignored, as by REPLY */
	forget(current);
	if (!ipc_waits_reply(c, current))
		return 0;		/* the client went away or resent elsewhere */
	if (c->keeper_call) {
		c->keeper_result = 1;
		waitq_wake(c);
		return 0;
	}
	uaccess_forget();	/* a fault below is the client's or the server's */
	while ((s = first_server(p)) != NULL) {
		int fault = give_alias(s, p) < 0 ? IPC_FAULT_TO : ipc_transfer(c, s, IPC_ATOMIC, &m);
		if (fault == IPC_FAULT_FROM) {
			peer_fault(c);
			return 0;
		}
		if (!fault) {
			ipc_complete(s, FLUKE_IPC_RECV_IDEMPOTENT);
			break;
		}
		peer_fault(s);
	}
	if (!s) {
		port_hold(p, c);
		return 0;
	}
	s->ipc_idem_client = c;
	c->ipc_idem_server = s;
	waitq_move(c, &s->ipc_waiters, s->obj);
	return 0;
}

/* Attach server s (waiting on p's set) to current, which becomes the sender. */
static int attach(struct thread *s, struct port *p)
{
	if (give_alias(s, p) < 0) {
		peer_fault(s);
		return -1;
	}
	current->ipc_peer[IPC_CLIENT] = s;
	s->ipc_peer[IPC_SERVER] = current;
	current->ipc_sender = IPC_CLIENT;
	current->ipc_acked = 1;
	s->tf->ebx &= ~FLUKE_IPC_WAIT_RECEIVE;	/* done for it: it now receives from current */
	waitq_move(s, &current->ipc_waiters, current->obj);
	return 0;
}

static int connect(struct port *p)
{
	struct thread *s;
	if (!p)
		return finish(FLUKE_IPC_INVALID_DEST);
	disconnect(current, IPC_CLIENT);
	while ((s = first_server(p)) != NULL)
		if (attach(s, p) == 0)
			return STEP_DONE;
	return wait_server(p);
}

/*
 * A stopped thread's IPC makes no progress until it is resumed: nothing moves
 * into or out of its buffers (a transfer needs its peer waiting in IPC), and the
 * connection's direction, which the client's state exports, does not change
 * under a stopped client either: a server's ACK or OVER waits for it to resume
 * (ipc_thread_resumed wakes the server), so a checkpointer that stops both ends
 * in either order reads one consistent connection.
 */
static int client_stopped(int x)
{
	return x == IPC_SERVER && current->ipc_peer[x]->state == THREAD_STOPPED;
}

static int ack(int x)
{
	struct thread *c = client_of(current, x);
	if (!current->ipc_peer[x])
		return finish(FLUKE_IPC_ACK_DISCONNECTED);
	if (c->ipc_sender != x)
		return finish(FLUKE_IPC_WRONG_ROLE);
	if (client_stopped(x))
		return wait_for(c);
	c->ipc_acked = 1;
	return STEP_DONE;
}

/* Push current's message into the peer while it receives; wait while it cannot. */
static int send(int x)
{
	struct thread *p = current->ipc_peer[x];
	struct ipc_moved m;
	if (!p)
		return finish(FLUKE_IPC_SEND_DISCONNECTED);
	if (!is_sender(current, x))
		return finish(FLUKE_IPC_WRONG_ROLE);
	if (ipc_waits_in(p, current, FLUKE_IPC_RECEIVE, !x)) {
		int fault = ipc_transfer(current, p, 0, &m);
		if (fault == IPC_PAUSED)
			return syscall_restart(current->tf);	/* goes on after the tick */
		if (fault == IPC_FAULT_FROM)
			return own_fault();
		if (fault)
			peer_fault(p);	/* it pulls the rest once its keeper has answered */
		else if (m.from_empty)
			return STEP_DONE;
		else
			ipc_complete(p, m.to_full);
	}
	return wait_for(p);
}

static int over(int x)
{
	struct thread *p = current->ipc_peer[x];
	if (!p)
		return finish(FLUKE_IPC_OVER_DISCONNECTED);
	if (!is_sender(current, x))
		return finish(FLUKE_IPC_WRONG_ROLE);
	struct thread *c = client_of(current, x);
	if (client_stopped(x))
		return wait_for(c);
	c->ipc_sender = !x;
	c->ipc_acked = 0;
	if (ipc_waits_in(p, current, FLUKE_IPC_RECEIVE, !x))
		ipc_complete(p, FLUKE_SUCCESS);	/* its message is complete */
	return STEP_DONE;
}

/* Pull the peer's message while it sends; the receive ends at its OVER or
 * DISCONNECT, or when current's buffers are full and more is to come. */
static int receive(int x)
{
	struct thread *p = current->ipc_peer[x];
	struct ipc_moved m;
	if (!p)
		return finish(FLUKE_IPC_RECV_DISCONNECTED);
	struct thread *c = client_of(current, x);
	if (c->ipc_sender == x)
		return finish(c->ipc_acked ? FLUKE_IPC_WRONG_ROLE : FLUKE_SUCCESS);
	if (c->ipc_acked && ipc_waits_in(p, current, FLUKE_IPC_SEND, !x)) {
		int fault = ipc_transfer(p, current, 0, &m);
		if (fault == IPC_PAUSED)
			return syscall_restart(current->tf);	/* goes on after the tick */
		if (fault == IPC_FAULT_TO)
			return own_fault();
		if (fault) {
			peer_fault(p);	/* it pushes the rest once its keeper has answered */
		} else if (m.from_empty) {
			p->tf->ebx &= ~FLUKE_IPC_SEND;	/* its send is done */
			waitq_wake(p);
		} else {
			return finish(m.to_full);
		}
	}
	return wait_for(p);
}

/* A server waits on its set; a connecting client or a message ends the wait. */
static int wait_receive(struct pset *ps)
{
	link_set(&current->serving, &ps->ob);
	disconnect(current, IPC_SERVER);
	drop_request(current);
	if (thread_take_interrupt())
		return finish(FLUKE_INTERRUPTED);
	pset_kick_sender(ps);
	waitq_sleep(&ps->servers, &ps->ob);
	return syscall_restart(current->tf);
}

static int step(uint32_t s, int x, const struct ipc_args *a)
{
	switch (s) {
	case FLUKE_IPC_CONNECT:
		return connect(a->port);
	case FLUKE_IPC_REPLY:
		return reply();
	case FLUKE_IPC_ACK:
		return ack(x);
	case FLUKE_IPC_SEND:
		return send(x);
	case FLUKE_IPC_OVER:
		return over(x);
	case FLUKE_IPC_DISCONNECT:
		disconnect(current, x);
		return STEP_DONE;
	case FLUKE_IPC_WAIT_RECEIVE:
		return wait_receive(a->pset);
	default:
		return receive(x);
	}
}

int ipc_call(const struct ipc_args *a)
{
	uint32_t ops = current->tf->ebx;
	uaccess_forget();	/* what ipc_fast found is found again below, as the call starts */
	if (ops & FLUKE_IPC_ONEWAY)
		return oneway(a->port);
	if (ops & FLUKE_IPC_IDEMPOTENT)
		return idempotent(a->port);
	int x = side_of(ops);
	/* Params the steps left use must be writable before any step (a stream
	 * records its progress there); its buffers are checked as the data moves. */
	if ((ops & (FLUKE_IPC_REPLY | FLUKE_IPC_SEND | FLUKE_IPC_RECEIVE)) && ipc_check(current, 0) < 0)
		return own_fault();
	for (uint32_t s; (s = first_step(current->tf->ebx)) != 0; current->tf->ebx &= ~s) {
		int r = step(s, x, a);
		if (r != STEP_DONE)
			return r;
	}
	return finish(FLUKE_SUCCESS);
}

int ipc_alert(int x)
{
	struct thread *p = current->ipc_peer[x];
	if (!p)
		return FLUKE_IPC_NOT_CONNECTED;
	thread_interrupt(p);
	return FLUKE_SUCCESS;
}

void ipc_thread_exit(struct thread *t)
{
	disconnect(t, IPC_CLIENT);
	disconnect(t, IPC_SERVER);
	if (t->ipc_idem_server)
		forget(t->ipc_idem_server);
	drop_request(t);
	waitq_wake_all(&t->ipc_waiters);
}

void ipc_thread_resumed(struct thread *t)
{
	for (int x = IPC_CLIENT; x <= IPC_SERVER; x++) {
		struct thread *p = t->ipc_peer[x];
		if (p && waits_reliable(p, t, !x))
			waitq_wake(p);	/* it runs its step again, now that t may take part */
	}
}

int ipc_kernel_call(struct port *p, const void *msg, uint32_t size, struct object *const *refs,
		    unsigned nrefs)
{
	struct thread *s;
	if (!p || !port_pset(p))
		return -1;
	current->keeper_call = 1;
	while ((s = first_server(p)) != NULL) {
		int fault = ipc_fast_kernel(s, p, msg, size, refs, nrefs) == 0 ? 0
			  : give_alias(s, p) < 0 ? IPC_FAULT_TO
			  : ipc_transfer_kernel(msg, size, refs, nrefs, s);
		if (!fault) {
			ipc_complete(s, FLUKE_IPC_RECV_IDEMPOTENT);
			break;
		}
		peer_fault(s);
	}
	if (!s) {
		port_wait(p);		/* woken when a server comes: it faults and sends again */
		return 0;
	}
	if (current->ipc_idem_server)
		forget(current->ipc_idem_server);
	s->ipc_idem_client = current;
	current->ipc_idem_server = s;
	waitq_sleep(&s->ipc_waiters, s->obj);
	return 0;
}

void ipc_set_connection(struct thread *t, int x, struct thread *peer, int server_sends,
			int unacked)
{
	if (peer && t->ipc_peer[x] == peer && x == IPC_SERVER)
		return;		/* already so: the direction is the client's to set */
	disconnect(t, x);
	if (!peer)
		return;
	disconnect(peer, !x);
	t->ipc_peer[x] = peer;
	peer->ipc_peer[!x] = t;
	struct thread *c = client_of(t, x);
	c->ipc_sender = x == IPC_CLIENT && server_sends ? IPC_SERVER : IPC_CLIENT;
	c->ipc_acked = !(x == IPC_CLIENT && unacked);
}
