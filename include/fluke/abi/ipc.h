/*
 * IPC through ports (handouts/api.md, "IPC"). One system call, fluke_ipc, does
 * every one-way, idempotent and reliable operation: its ops word combines steps
 * (CONNECT, REPLY, ACK, SEND, OVER, DISCONNECT, WAIT_RECEIVE, RECEIVE, run in that
 * order) with a side (CLIENT or SERVER) or a flavour (ONEWAY, IDEMPOTENT).
 * Restartable: the low half of the ops word holds the steps still to run and the
 * high half the steps asked for (FLUKE_IPC_OPS). The kernel clears each step's bit
 * in the thread's saved EBX as the step completes, and keeps the params below up to
 * date (buffer pointers advanced, counts shrunk) whenever the thread waits, so a
 * thread stopped anywhere holds a call that continues exactly where it stopped.
 * When the call returns, EBX again holds the whole ops word.
 */
#ifndef FLUKE_ABI_IPC_H
#define FLUKE_ABI_IPC_H

#include <fluke/abi/types.h>
#include <fluke/abi/error.h>

/* A buffer: bytes at ptr. The kernel advances ptr and shrinks bytes as it goes. */
typedef struct fluke_ipc_buf {
	void *ptr;
	uint32_t bytes;
} fluke_ipc_buf_t;

/*
 * A message to send and the room to receive one. Data goes from send, then each
 * of send_tab[0 .. send_tab_count), into recv, then recv_tab[...]; references go
 * from send_refs[i] into recv_refs[i] (the receiving reference then points to
 * the sent one's target). The kernel moves the first buffer along the tables as it
 * consumes them (it never writes the tables) and adds to bytes_received and
 * refs_received; the wrappers below zero those two before each call.
 */
typedef struct fluke_ipc_params {
	fluke_ipc_buf_t send;
	fluke_ipc_buf_t *send_tab;
	uint32_t send_tab_count;
	fluke_ref_t **send_refs;
	uint32_t send_ref_count;
	fluke_ipc_buf_t recv;
	fluke_ipc_buf_t *recv_tab;
	uint32_t recv_tab_count;
	fluke_ref_t **recv_refs;
	uint32_t recv_ref_count;
	uint32_t bytes_received;
	uint32_t refs_received;
} fluke_ipc_params_t;

/* Side and flavour: exactly one of these four. */
#define FLUKE_IPC_CLIENT	0x001	/* the caller's client-side connection */
#define FLUKE_IPC_SERVER	0x002	/* the caller's server-side connection */
#define FLUKE_IPC_ONEWAY	0x004	/* with SEND alone: one-way message to a port */
#define FLUKE_IPC_IDEMPOTENT	0x008	/* with SEND|RECEIVE: idempotent call to a port */
/* Steps, in the order they run (each bit higher than the one before). */
#define FLUKE_IPC_CONNECT	0x010	/* client: attach a server waiting on the port */
#define FLUKE_IPC_REPLY		0x020	/* server: answer the pending idempotent request */
#define FLUKE_IPC_ACK		0x040	/* take the sender role the peer gave up (OVER) */
#define FLUKE_IPC_SEND		0x080	/* send the message (sender only) */
#define FLUKE_IPC_OVER		0x100	/* give up the sender role: the caller receives */
#define FLUKE_IPC_DISCONNECT	0x200	/* end the connection of this side */
#define FLUKE_IPC_WAIT_RECEIVE	0x400	/* server: wait on a port set for a message */
#define FLUKE_IPC_RECEIVE	0x800	/* receive until the sender's OVER or DISCONNECT */
#define FLUKE_IPC_STEPS		0xff0

/* The ops word of a call: steps to run (low half) and steps asked (high half). */
#define FLUKE_IPC_OPS(ops)	((uint32_t)(ops) | (uint32_t)(ops) << 16)

/*
 * Results, besides FLUKE_SUCCESS, FLUKE_BAD_ADDRESS (params, a buffer, a table or a
 * reference slot of the caller is not accessible, or a slot is not a reference),
 * FLUKE_INVALID_ARGUMENT (an ops word that is no valid combination) and
 * FLUKE_INTERRUPTED (thread_interrupt or an alert cut a wait short; the steps done
 * are cleared and params updated, so the same call continues the operation).
 */
#define FLUKE_IPC_RECV_MORE_DATA	16	/* receive buffers full, more data follows: receive again */
#define FLUKE_IPC_RECV_MORE_REFS	17	/* reference slots full, more references follow */
#define FLUKE_IPC_RECV_DISCONNECTED	18	/* the sender ended the connection after all its data
						   (the normal end of a reliable RPC), or there is none */
#define FLUKE_IPC_SEND_DISCONNECTED	19	/* the receiver ended the connection, or there is none */
#define FLUKE_IPC_OVER_DISCONNECTED	20	/* OVER with no connection */
#define FLUKE_IPC_ACK_DISCONNECTED	21	/* ACK with no connection */
#define FLUKE_IPC_WRONG_ROLE		22	/* SEND or OVER by the receiver, ACK before the
						   peer's OVER, RECEIVE by the sender */
#define FLUKE_IPC_INVALID_DEST		23	/* the port reference is null (port destroyed) */
#define FLUKE_IPC_NO_RECEIVER		24	/* one-way: no server waited, message dropped (a hint) */
#define FLUKE_IPC_RECV_ONEWAY		25	/* wait_receive: a one-way message arrived */
#define FLUKE_IPC_RECV_IDEMPOTENT	26	/* wait_receive: an idempotent request; answer with REPLY */
#define FLUKE_IPC_NOT_CONNECTED		27	/* alert: that side has no connection */

#endif
