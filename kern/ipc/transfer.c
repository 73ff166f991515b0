/*
 * Moving a message between two threads' params (fluke_ipc_params_t, at the user
 * address in each thread's EDX). Data goes through a one-page bounce buffer in
 * chunks, by copy_from_user from the sender's space and copy_to_user into the
 * receiver's; references are linked, not copied. The bounce buffer is shared: the
 * kernel runs with interrupts off and a transfer never sleeps, so one transfer
 * runs at a time.
 */
#include "ipc/ipc.h"
#include "object/ref.h"
#include "thread/thread.h"
#include "thread/sched.h"
#include "arch/trap.h"
#include "vm/uaccess.h"
#include <fluke/abi/vm.h>

static uint8_t bounce[PAGE_SIZE];

/* The params must be writable from the start: a transfer that moved data must be
 * able to record it, or a call run again would move it twice. */
int ipc_side_load(struct ipc_side *e, struct thread *t)
{
	e->s = t->space;
	e->at = t->tf->edx;
	return copy_from_user_writable(e->s, &e->p, e->at, sizeof(e->p));
}

static int store(struct ipc_side *e)
{
	return copy_to_user(e->s, e->at, &e->p, sizeof(e->p));
}

/* Make the first buffer non-empty from the table, if the table has any bytes left. */
static int refill(struct ipc_side *e, fluke_ipc_buf_t *first, fluke_ipc_buf_t **tab, uint32_t *count)
{
	while (first->bytes == 0 && *count > 0) {
		if (copy_from_user(e->s, first, (uint32_t)*tab, sizeof(*first)) < 0)
			return -1;
		(*tab)++;
		(*count)--;
	}
	return 0;
}

/* The reference object named by the first slot of a reference table. */
static int slot_ref(struct space *s, fluke_ref_t **tab, struct ref **out)
{
	uint32_t va;
	struct object *ob;
	if (copy_from_user(s, &va, (uint32_t)tab, sizeof(va)) < 0 ||
	    object_find(s, va, FLUKE_TYPE_REF, &ob) != 0)
		return -1;
	*out = (struct ref *)ob;
	return 0;
}

/* Every byte of the buffer first, then of the count buffers of the table tab,
 * allows access; 0 or -1. */
static int check_bufs(struct space *s, fluke_ipc_buf_t first, const fluke_ipc_buf_t *tab,
		      uint32_t count, uint32_t access)
{
	for (uint32_t i = 0;; i++) {
		if (first.bytes && uaccess_check(s, (uint32_t)first.ptr, first.bytes, access) < 0)
			return -1;
		if (i == count)
			return 0;
		if (copy_from_user(s, &first, (uint32_t)(tab + i), sizeof(first)) < 0)
			return -1;
	}
}

/* Every slot of the table of count references names a reference object. */
static int check_refs(struct space *s, fluke_ref_t **tab, uint32_t count)
{
	struct ref *r;
	for (uint32_t i = 0; i < count; i++)
		if (slot_ref(s, tab + i, &r) < 0)
			return -1;
	return 0;
}

int ipc_params_check(struct space *s, const fluke_ipc_params_t *p, int parts)
{
	if ((parts & IPC_CHECK_SEND) &&
	    (check_bufs(s, p->send, p->send_tab, p->send_tab_count, FLUKE_PROT_READ) < 0 ||
	     check_refs(s, p->send_refs, p->send_ref_count) < 0))
		return -1;
	if ((parts & IPC_CHECK_RECV) &&
	    (check_bufs(s, p->recv, p->recv_tab, p->recv_tab_count, FLUKE_PROT_WRITE) < 0 ||
	     check_refs(s, p->recv_refs, p->recv_ref_count) < 0))
		return -1;
	return 0;
}

int ipc_check(struct thread *t, int parts)
{
	struct ipc_side e;
	if (ipc_side_load(&e, t) < 0)
		return -1;
	return ipc_params_check(e.s, &e.p, parts);
}

/* Copy data while both sides have some; 0, the side at fault, or IPC_PAUSED when
 * preemptible and the thread's turn is over (after a chunk at least). */
static int move_data(struct ipc_side *f, struct ipc_side *t, int preemptible)
{
	for (;;) {
		if (refill(f, &f->p.send, &f->p.send_tab, &f->p.send_tab_count) < 0)
			return IPC_FAULT_FROM;
		if (refill(t, &t->p.recv, &t->p.recv_tab, &t->p.recv_tab_count) < 0)
			return IPC_FAULT_TO;
		uint32_t n = f->p.send.bytes < t->p.recv.bytes ? f->p.send.bytes : t->p.recv.bytes;
		if (n == 0)
			return 0;
		if (n > sizeof(bounce))
			n = sizeof(bounce);
		if (copy_from_user(f->s, bounce, (uint32_t)f->p.send.ptr, n) < 0)
			return IPC_FAULT_FROM;
		if (copy_to_user(t->s, (uint32_t)t->p.recv.ptr, bounce, n) < 0)
			return IPC_FAULT_TO;
		f->p.send.ptr = (uint8_t *)f->p.send.ptr + n;
		f->p.send.bytes -= n;
		t->p.recv.ptr = (uint8_t *)t->p.recv.ptr + n;
		t->p.recv.bytes -= n;
		t->p.bytes_received += n;
		if (preemptible && sched_turn_over())
			return IPC_PAUSED;
	}
}

/* Point the receiver's reference slots where the sender's references point. */
static int move_refs(struct ipc_side *f, struct ipc_side *t)
{
	while (f->p.send_ref_count > 0 && t->p.recv_ref_count > 0) {
		struct ref *from, *to;
		if (slot_ref(f->s, f->p.send_refs, &from) < 0)
			return IPC_FAULT_FROM;
		if (slot_ref(t->s, t->p.recv_refs, &to) < 0)
			return IPC_FAULT_TO;
		link_set(&to->link, from->link.target);
		f->p.send_refs++;
		f->p.send_ref_count--;
		t->p.recv_refs++;
		t->p.recv_ref_count--;
		t->p.refs_received++;
	}
	return 0;
}

int ipc_transfer(struct thread *from, struct thread *to, int atomic, struct ipc_moved *m)
{
	struct ipc_side f, t;
	if (ipc_side_load(&f, from) < 0)
		return IPC_FAULT_FROM;
	if (ipc_side_load(&t, to) < 0)
		return IPC_FAULT_TO;
	int fault = move_data(&f, &t, !atomic);
	if (!fault)
		fault = move_refs(&f, &t);
	/* A stream keeps what moved even after a fault; an atomic message is all or nothing. */
	if (fault && atomic)
		return fault;
	if (store(&t) < 0)
		return IPC_FAULT_TO;
	if (!atomic && store(&f) < 0)
		return IPC_FAULT_FROM;
	if (fault)
		return fault;
	int data_left = f.p.send.bytes > 0;
	int refs_left = f.p.send_ref_count > 0;
	m->from_empty = !data_left && !refs_left;
	m->to_full = data_left ? FLUKE_IPC_RECV_MORE_DATA
		   : refs_left ? FLUKE_IPC_RECV_MORE_REFS : 0;
	return 0;
}

int ipc_transfer_kernel(const void *data, uint32_t size, struct object *const *refs,
			unsigned nrefs, struct thread *to)
{
	struct ipc_side t;
	const uint8_t *d = data;
	if (ipc_side_load(&t, to) < 0)
		return IPC_FAULT_TO;
	while (size > 0) {
		if (refill(&t, &t.p.recv, &t.p.recv_tab, &t.p.recv_tab_count) < 0)
			return IPC_FAULT_TO;
		uint32_t n = size < t.p.recv.bytes ? size : t.p.recv.bytes;
		if (n == 0)
			break;		/* truncated, as an atomic message may be */
		if (copy_to_user(t.s, (uint32_t)t.p.recv.ptr, d, n) < 0)
			return IPC_FAULT_TO;
		t.p.recv.ptr = (uint8_t *)t.p.recv.ptr + n;
		t.p.recv.bytes -= n;
		t.p.bytes_received += n;
		d += n;
		size -= n;
	}
	for (unsigned i = 0; i < nrefs && t.p.recv_ref_count > 0; i++) {
		struct ref *r;
		if (slot_ref(t.s, t.p.recv_refs, &r) < 0)
			return IPC_FAULT_TO;
		link_set(&r->link, refs[i]);
		t.p.recv_refs++;
		t.p.recv_ref_count--;
		t.p.refs_received++;
	}
	return store(&t) < 0 ? IPC_FAULT_TO : 0;
}

int ipc_first_word(struct thread *from, uint32_t *w)
{
	struct ipc_side f;
	if (ipc_side_load(&f, from) < 0 || refill(&f, &f.p.send, &f.p.send_tab, &f.p.send_tab_count) < 0)
		return -1;
	if (f.p.send.bytes < sizeof(*w))
		return 0;
	return copy_from_user(f.s, w, (uint32_t)f.p.send.ptr, sizeof(*w)) < 0 ? -1 : 1;
}
