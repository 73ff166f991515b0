/* IPC: the ABI (<fluke/abi/ipc.h>) and the library's calls on it. */
#ifndef FLUKE_IPC_H
#define FLUKE_IPC_H

#include <fluke/abi/ipc.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>

/* The generic call (<fluke/syscalls.h>): fluke_ipc(ops, target, params, alias_out).
 * target: a reference to a port (CONNECT, ONEWAY, IDEMPOTENT) or a port set
 * (WAIT_RECEIVE); alias_out (may be NULL): where WAIT_RECEIVE stores the alias of
 * the port the message came through. */

/* Run steps (with their side or flavour) as one call, received counts zeroed. */
static inline int fluke_ipc_steps(uint32_t ops, const void *target, fluke_ipc_params_t *p,
				  uint32_t *alias_out)
{
	if (ops & FLUKE_IPC_RECEIVE) {
		p->bytes_received = 0;
		p->refs_received = 0;
	}
	return fluke_ipc(FLUKE_IPC_OPS(ops), target, p, alias_out);
}

#define FLUKE_IPC_CALL_STEPS	(FLUKE_IPC_IDEMPOTENT | FLUKE_IPC_SEND | FLUKE_IPC_RECEIVE)
#define FLUKE_IPC_WAIT_STEPS	(FLUKE_IPC_SERVER | FLUKE_IPC_WAIT_RECEIVE | FLUKE_IPC_RECEIVE)

/* One-way: at most once, never waits. SUCCESS or FLUKE_IPC_NO_RECEIVER (a hint). */
static inline int fluke_ipc_send(const fluke_ref_t *port_ref, fluke_ipc_params_t *p)
{
	return fluke_ipc_steps(FLUKE_IPC_ONEWAY | FLUKE_IPC_SEND, port_ref, p, 0);
}

/* Idempotent call: send the request and wait for a reply; sent again if the
 * caller is stopped and resumed or the server drops it. */
static inline int fluke_ipc_call(const fluke_ref_t *port_ref, fluke_ipc_params_t *p)
{
	return fluke_ipc_steps(FLUKE_IPC_CALL_STEPS, port_ref, p, 0);
}

/* Answer the current idempotent request; ignored when none is pending. */
static inline int fluke_ipc_reply(fluke_ipc_params_t *p)
{
	return fluke_ipc_steps(FLUKE_IPC_SERVER | FLUKE_IPC_REPLY, 0, p, 0);
}

/* The waiting calls take the port set: Fluke kept it in the thread's state, here it
 * is an argument, so that the registers alone describe the call. */
static inline int fluke_ipc_reply_wait_receive(fluke_pset_t *ps, fluke_ipc_params_t *p,
					       uint32_t *alias)
{
	return fluke_ipc_steps(FLUKE_IPC_REPLY | FLUKE_IPC_WAIT_STEPS, ps, p, alias);
}

static inline int fluke_ipc_wait_receive(fluke_pset_t *ps, fluke_ipc_params_t *p, uint32_t *alias)
{
	return fluke_ipc_steps(FLUKE_IPC_WAIT_STEPS, ps, p, alias);
}

/* Hand the idempotent request the caller holds on to the port to_ref references
 * (its server receives the client's message and replies straight to the client),
 * then wait on ps as fluke_ipc_wait_receive does (fluke_ipc_forward, handouts/api.md).
 * FLUKE_IPC_INVALID_DEST for a null to_ref: the request is still held. */
static inline int fluke_ipc_forward_wait_receive(const fluke_ref_t *to_ref, fluke_pset_t *ps,
						 fluke_ipc_params_t *p, uint32_t *alias)
{
	p->bytes_received = 0;
	p->refs_received = 0;
	return fluke_ipc_forward(FLUKE_IPC_OPS(FLUKE_IPC_WAIT_STEPS), ps, p, alias, to_ref);
}

/* A server thread's first wait: the same call as fluke_ipc_wait_receive. */
static inline int fluke_ipc_setup_wait_receive(fluke_pset_t *ps, fluke_ipc_params_t *p,
					       uint32_t *alias)
{
	return fluke_ipc_wait_receive(ps, p, alias);
}

/* The main server loop call: reply on the reliable connection, end it, wait again. */
static inline int fluke_ipc_server_ack_send_wait_receive(fluke_pset_t *ps, fluke_ipc_params_t *p,
							 uint32_t *alias)
{
	return fluke_ipc_steps(FLUKE_IPC_ACK | FLUKE_IPC_SEND | FLUKE_IPC_WAIT_STEPS, ps, p, alias);
}

static inline int fluke_ipc_client_connect_send(const fluke_ref_t *port_ref, fluke_ipc_params_t *p)
{
	return fluke_ipc_steps(FLUKE_IPC_CLIENT | FLUKE_IPC_CONNECT | FLUKE_IPC_SEND, port_ref, p, 0);
}

/* Reliable RPC: the reply normally ends with FLUKE_IPC_RECV_DISCONNECTED. */
static inline int fluke_ipc_client_connect_send_over_receive(const fluke_ref_t *port_ref,
							     fluke_ipc_params_t *p)
{
	return fluke_ipc_steps(FLUKE_IPC_CLIENT | FLUKE_IPC_CONNECT | FLUKE_IPC_SEND |
			       FLUKE_IPC_OVER | FLUKE_IPC_RECEIVE, port_ref, p, 0);
}

/* fluke_ipc_client_send, _receive, _over_receive, _send_over_receive, _ack_send,
 * _disconnect, _alert, and the same for server. */
#define FLUKE_IPC_SIDE_CALLS(side, S)                                                   \
	static inline int fluke_ipc_##side##_send(fluke_ipc_params_t *p)                 \
	{                                                                                \
		return fluke_ipc_steps(S | FLUKE_IPC_SEND, 0, p, 0);                     \
	}                                                                                \
	static inline int fluke_ipc_##side##_receive(fluke_ipc_params_t *p)              \
	{                                                                                \
		return fluke_ipc_steps(S | FLUKE_IPC_RECEIVE, 0, p, 0);                  \
	}                                                                                \
	static inline int fluke_ipc_##side##_over_receive(fluke_ipc_params_t *p)         \
	{                                                                                \
		return fluke_ipc_steps(S | FLUKE_IPC_OVER | FLUKE_IPC_RECEIVE, 0, p, 0); \
	}                                                                                \
	static inline int fluke_ipc_##side##_send_over_receive(fluke_ipc_params_t *p)    \
	{                                                                                \
		return fluke_ipc_steps(S | FLUKE_IPC_SEND | FLUKE_IPC_OVER |             \
				       FLUKE_IPC_RECEIVE, 0, p, 0);                      \
	}                                                                                \
	static inline int fluke_ipc_##side##_ack_send(fluke_ipc_params_t *p)             \
	{                                                                                \
		return fluke_ipc_steps(S | FLUKE_IPC_ACK | FLUKE_IPC_SEND, 0, p, 0);     \
	}                                                                                \
	static inline int fluke_ipc_##side##_disconnect(void)                            \
	{                                                                                \
		return fluke_ipc(FLUKE_IPC_OPS(S | FLUKE_IPC_DISCONNECT), 0, 0, 0);      \
	}                                                                                \
	static inline int fluke_ipc_##side##_alert(void)                                 \
	{                                                                                \
		return fluke_ipc_alert(S);                                               \
	}

FLUKE_IPC_SIDE_CALLS(client, FLUKE_IPC_CLIENT)
FLUKE_IPC_SIDE_CALLS(server, FLUKE_IPC_SERVER)

#endif
