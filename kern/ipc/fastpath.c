/*
 * The IPC fast path (after seL4's): the four calls a request and its answer are
 * made of, when the peer already waits and the message is small data with no
 * references, done in one pass:
 *   client  CONNECT SEND OVER RECEIVE    to a server waiting on the port's set
 *   server  ACK SEND WAIT_RECEIVE        answering a client waiting in RECEIVE
 *   client  IDEMPOTENT SEND RECEIVE      to a server waiting on the port's set
 *   server  REPLY WAIT_RECEIVE           answering an idempotent client waiting
 * ipc_fast first checks every condition and reads everything, and only then
 * changes anything, so a call it does not take (it returns 0: any condition
 * false, any access to user memory failing) goes to the general path (ipc.c)
 * untouched (ipc_call forgets a failed access it met, as a call starts). Both
 * threads' params are read and written in place, through the kernel's view of
 * their pages (uaccess_window: params not yet in the page table, or across a
 * page boundary, go the general way). A call it takes ends in exactly the state
 * the general path would leave: the same steps cleared in EBX, the same params
 * (for params the message does not overwrite), peers, queues and saved
 * registers, so a thread stopped afterwards reads the same call either way. Its
 * one liberty: a pending timer tick is taken on the way out, after the call (the
 * general path pauses a stream at a tick once a chunk has moved, for long
 * messages; a fast one is a single small copy).
 * ipc_fast_forward does the same for a forwarder's FORWARD then WAIT_RECEIVE
 * (sys_ipc_forward), when a server waits on the port's set; ipc_fast_kernel for
 * the kernel's own request (a page fault or exception to a keeper), and
 * ANSWER_IDEM takes the keeper's answer to one (its first word, the verdict).
 */
#include "ipc/ipc.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "syscall/syscall.h"
#include "arch/trap.h"
#include "vm/uaccess.h"
#include <fluke/abi/vm.h>
#include <fluke/abi/syscall_numbers.h>
#include <string.h>

/* The most data the fast path moves (the Common Protocols' header and a little). */
#define FAST_BYTES	64
/* The most references a kernel request hands over (a keeper's: thread, about). */
#define FAST_REFS	2

/* One side of a fast call: a thread's space and its params, in place: a window
 * onto the params' page, which its page table maps writable (the call records
 * its progress there), kept in the thread from call to call while no PTE changes
 * (uaccess_window_kept). Params the window cannot reach (not cached in the page
 * table yet, or across a page boundary) send the call the general way. */
struct fast_side {
	struct space *s;
	fluke_ipc_params_t *p;
};

static inline __attribute__((always_inline)) int side(struct fast_side *e, struct thread *t)
{
	e->s = t->space;
	e->p = uaccess_window_kept(&t->params_kept, e->s, t->tf->edx, sizeof(*e->p),
				   FLUKE_PROT_WRITE);
	return e->p ? 0 : -1;
}

/* What a staged move leaves in both params, read before the data moved (the data
 * may land on the params themselves; the general path too stores its copy of the
 * params after the data). */
struct fast_move {
	uint32_t n;
	fluke_ipc_buf_t send, recv;
	uint32_t received;
};

/* Check and stage the move of f's message into t: f's data (at most FAST_BYTES,
 * no table, no references) fits t's first buffer (no table to fall back on), and
 * is already copied there. 0, or -1. */
static inline __attribute__((always_inline)) int stage(struct fast_side *f, struct fast_side *t, struct fast_move *m)
{
	const fluke_ipc_params_t *fp = f->p, *tp = t->p;
	m->n = fp->send.bytes;
	if (fp->send_tab_count || fp->send_ref_count || m->n > FAST_BYTES ||
	    tp->recv_tab_count || tp->recv.bytes < m->n)
		return -1;
	m->send = fp->send;
	m->recv = tp->recv;
	m->received = tp->bytes_received;
	if (m->n && copy_user_to_user(t->s, (uint32_t)m->recv.ptr, f->s, (uint32_t)m->send.ptr,
				      m->n) < 0)
		return -1;
	return 0;
}

/* Record the staged move in the sender's params (checked writable)... */
static void sent(struct fast_side *f, const struct fast_move *m)
{
	if (!m->n)
		return;
	f->p->send.ptr = (uint8_t *)m->send.ptr + m->n;
	f->p->send.bytes = m->send.bytes - m->n;
}

/* ... and in the receiver's. */
static void received(struct fast_side *t, const struct fast_move *m)
{
	if (!m->n)
		return;
	t->p->recv.ptr = (uint8_t *)m->recv.ptr + m->n;
	t->p->recv.bytes = m->recv.bytes - m->n;
	t->p->bytes_received = m->received + m->n;
}

/* Whether server s, waiting on its set, can be told the port's alias (it is, if
 * so: this is a fast call's last check). */
static int alias_to(struct thread *s, struct port *p)
{
	uint32_t at = s->tf->esi;
	if (!at)
		return 1;
	uint32_t *w = uaccess_window(s->space, at, sizeof(p->alias), FLUKE_PROT_WRITE);
	if (!w)
		return copy_to_user(s->space, at, &p->alias, sizeof(p->alias)) == 0;
	*w = p->alias;
	return 1;
}

/* The verdict in the first word of f's message, as the general path reads it
 * (ipc_first_word: none, or a word of 0, says handled): 0 with *failed set, or
 * -1 when the message is not a plain buffer the window reaches. */
static int verdict(const struct fast_side *f, int *failed)
{
	const fluke_ipc_params_t *fp = f->p;
	if (fp->send_tab_count)
		return -1;
	if (fp->send.bytes < sizeof(uint32_t)) {
		*failed = 0;
		return 0;
	}
	const uint32_t *w = uaccess_window(f->s, (uint32_t)fp->send.ptr, sizeof(*w),
					   FLUKE_PROT_READ);
	if (!w)
		return -1;
	*failed = *w != 0;
	return 0;
}

/* Whether [a, a + an) and [b, b + bn) of one space share a byte. */
static int overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
	return a < b + bn && b < a + an;
}

/* The first server waiting on p's set, if the fast path may hand it a message. */
static struct thread *server_of(struct port *p)
{
	struct pset *ps = p ? port_pset(p) : NULL;
	return ps ? pset_first_server(ps) : NULL;
}

/* Current ends its steps waiting on q (queue of ob) with only `left` steps left. */
static inline __attribute__((always_inline)) int sleep_with(uint32_t left, struct waitq *q, struct object *ob)
{
	struct trapframe *tf = current->tf;
	tf->ebx = (tf->ebx & 0xffff0000u) | left;
	waitq_sleep(q, ob);
	return (int)syscall_restart(tf);
}

/* Server current waits on ps again, having answered (WAIT_RECEIVE with nobody to
 * disconnect, no request to drop and no client waiting on ps's ports). */
static inline __attribute__((always_inline)) int wait_again(struct pset *ps)
{
	if (current->serving.target != &ps->ob)
		link_set(&current->serving, &ps->ob);
	return sleep_with(FLUKE_IPC_SERVER | FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE,
			  &ps->servers, &ps->ob);
}

int ipc_fast(const struct ipc_args *a, int *result)
{
	struct thread *me = current, *peer;
	struct fast_side f, t;
	struct fast_move m;
	uint32_t ops = me->tf->ebx;
	if (me->interrupted)
		return 0;
	switch (ops) {
	case IPC_OPS_CALL_RPC:
		if (me->ipc_peer[IPC_CLIENT] || !(peer = server_of(a->port)) || side(&f, me) < 0 ||
		    side(&t, peer) < 0 || stage(&f, &t, &m) < 0 || !alias_to(peer, a->port))
			return 0;
		/* CONNECT: peer serves current, which sends; SEND; OVER: current receives,
		 * peer's receive is complete; RECEIVE waits for peer to send. */
		sent(&f, &m);
		received(&t, &m);
		me->ipc_peer[IPC_CLIENT] = peer;
		peer->ipc_peer[IPC_SERVER] = me;
		me->ipc_sender = IPC_SERVER;
		me->ipc_acked = 0;
		ipc_complete(peer, FLUKE_SUCCESS);
		*result = sleep_with(FLUKE_IPC_CLIENT | FLUKE_IPC_RECEIVE, &peer->ipc_waiters,
				     peer->obj);
		return 1;
	case IPC_OPS_ANSWER_RPC:
		peer = me->ipc_peer[IPC_SERVER];
		if (!peer || peer->ipc_sender != IPC_SERVER || peer->ipc_acked ||
		    !ipc_waits_in(peer, me, FLUKE_IPC_RECEIVE, IPC_CLIENT) || me->ipc_idem_client ||
		    a->pset->busy || side(&f, me) < 0 || side(&t, peer) < 0 || stage(&f, &t, &m) < 0)
			return 0;
		/* ACK; SEND; WAIT_RECEIVE: the disconnect ends peer's receive. */
		peer->ipc_acked = 1;
		sent(&f, &m);
		received(&t, &m);
		me->ipc_peer[IPC_SERVER] = NULL;
		peer->ipc_peer[IPC_CLIENT] = NULL;
		ipc_complete(peer, FLUKE_IPC_RECV_DISCONNECTED);
		*result = wait_again(a->pset);
		return 1;
	case IPC_OPS_CALL_IDEM:
		if (!(peer = server_of(a->port)) || side(&f, me) < 0 || ipc_params_check(f.s, f.p, IPC_CHECK_RECV) < 0 ||
		    side(&t, peer) < 0 || stage(&f, &t, &m) < 0 || !alias_to(peer, a->port))
			return 0;
		/* Delivered whole (current's params stay as they were); current waits
		 * for the reply with its registers unchanged. */
		received(&t, &m);
		ipc_complete(peer, FLUKE_IPC_RECV_IDEMPOTENT);
		if (me->ipc_idem_server)
			me->ipc_idem_server->ipc_idem_client = NULL;
		peer->ipc_idem_client = me;
		me->ipc_idem_server = peer;
		*result = sleep_with(ops & 0xffffu, &peer->ipc_waiters, peer->obj);
		return 1;
	case IPC_OPS_ANSWER_IDEM: {
		int failed = 0;
		peer = me->ipc_idem_client;
		if (!peer || !ipc_waits_reply(peer, me) || me->ipc_peer[IPC_SERVER] ||
		    a->pset->busy || side(&f, me) < 0)
			return 0;
		int kernel = peer->keeper_call;	/* a request the kernel made */
		if (kernel ? verdict(&f, &failed) < 0
			   : side(&t, peer) < 0 || stage(&f, &t, &m) < 0)
			return 0;
		/* REPLY, whole (current's params stay as they were): to a kernel
		 * request, its verdict, and the thread that faulted resumes in the
		 * kernel (keeper.c); WAIT_RECEIVE. */
		me->ipc_idem_client = NULL;
		peer->ipc_idem_server = NULL;
		if (kernel) {
			peer->keeper_result = failed;
			waitq_wake(peer);
		} else {
			received(&t, &m);
			ipc_complete(peer, FLUKE_SUCCESS);
		}
		*result = wait_again(a->pset);
		return 1;
	}
	default:
		return 0;
	}
}

int ipc_fast_forward(struct port *p, struct pset *ps, int *result)
{
	struct thread *me = current, *c = me->ipc_idem_client, *s;
	struct fast_side f, t;
	struct fast_move m;
	if (me->tf->ebx != IPC_OPS_WAIT || me->interrupted || !c || !ipc_waits_reply(c, me) ||
	    c->keeper_call || me->ipc_peer[IPC_SERVER] || ps->busy || !(s = server_of(p)) ||
	    !uaccess_window(me->space, me->tf->edx, sizeof(fluke_ipc_params_t), FLUKE_PROT_WRITE) ||
	    side(&f, c) < 0 || side(&t, s) < 0 || stage(&f, &t, &m) < 0 || !alias_to(s, p))
		return 0;
	/* FORWARD: s holds c's request, delivered whole (c's params stay as they
	 * were), and c waits on s; then WAIT_RECEIVE, as an ipc call. */
	received(&t, &m);
	ipc_complete(s, FLUKE_IPC_RECV_IDEMPOTENT);
	me->ipc_idem_client = NULL;
	c->ipc_idem_server = s;
	s->ipc_idem_client = c;
	waitq_move(c, &s->ipc_waiters, s->obj);
	me->tf->eax = SYS_ipc;
	*result = wait_again(ps);
	return 1;
}

int ipc_fast_kernel(struct thread *s, struct port *p, const void *msg, uint32_t size,
		    struct object *const *refs, unsigned nrefs)
{
	struct fast_side t;
	struct ref *slot[FAST_REFS];
	if (nrefs > FAST_REFS || side(&t, s) < 0)
		return -1;
	fluke_ipc_params_t *tp = t.p;
	uint32_t at = (uint32_t)tp->recv.ptr, tab = (uint32_t)tp->recv_refs;
	unsigned n = nrefs < tp->recv_ref_count ? nrefs : tp->recv_ref_count;
	/* The message lands whole in the first buffer, on neither the params nor the
	 * slot table (the general path reads both around the data: overlaps go
	 * there). */
	if (tp->recv_tab_count || tp->recv.bytes < size ||
	    overlap(at, size, s->tf->edx, sizeof(*tp)) ||
	    (n && overlap(at, size, tab, n * sizeof(fluke_ref_t *))))
		return -1;
	uint8_t *to = uaccess_window(t.s, at, size, FLUKE_PROT_WRITE);
	fluke_ref_t *const *names = n ? uaccess_window(t.s, tab, n * sizeof(*names),
						       FLUKE_PROT_READ) : NULL;
	if (!to || (n && !names))
		return -1;
	for (unsigned i = 0; i < n; i++) {
		struct object *ob;
		if (object_find(t.s, (uint32_t)names[i], FLUKE_TYPE_REF, &ob) != 0)
			return -1;
		slot[i] = (struct ref *)ob;
	}
	if (!alias_to(s, p))
		return -1;
	memcpy(to, msg, size);
	for (unsigned i = 0; i < n; i++)
		link_set(&slot[i]->link, refs[i]);
	tp->recv.ptr = (uint8_t *)tp->recv.ptr + size;
	tp->recv.bytes -= size;
	tp->bytes_received += size;
	tp->recv_refs += n;
	tp->recv_ref_count -= n;
	tp->refs_received += n;
	return 0;
}
