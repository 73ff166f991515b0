/* Threads: the ABI (<fluke/abi/thread.h>) and the library's calls on it. */
#ifndef FLUKE_THREAD_H
#define FLUKE_THREAD_H

#include <fluke/abi/thread.h>
#include <fluke/object.h>

FLUKE_OBJECT_CALLS(thread, FLUKE_TYPE_THREAD)
FLUKE_REFERENCE_CALL(thread)

/* Any ref pointer may be NULL to skip that link. */
static inline int fluke_thread_get_state(fluke_thread_t *t, fluke_thread_state_t *state,
					 fluke_ref_t *space, fluke_ref_t *scheduler,
					 fluke_ref_t *waiting_for, fluke_ref_t *client,
					 fluke_ref_t *server)
{
	void *links[FLUKE_THREAD_LINKS] = { space, scheduler, waiting_for, client, server };
	return fluke_object_get_state(t, state, links);
}

/* state NULL keeps the registers; a NULL ref keeps that link, a null reference
 * clears it. waiting_for is derived and cannot be set. */
static inline int fluke_thread_set_state(fluke_thread_t *t, const fluke_thread_state_t *state,
					 const fluke_ref_t *space, const fluke_ref_t *scheduler)
{
	void *links[FLUKE_THREAD_LINKS] = { (void *)space, (void *)scheduler, 0, 0, 0 };
	return fluke_object_set_state(t, state, links);
}

/* The same, also setting the reliable connections (a checkpointer rebuilding two
 * threads in a connection): client names the server thread of t's client-side
 * connection, server the client thread of its server-side one; a null reference
 * ends that connection. The direction comes from state's FLUKE_THREAD_CLIENT_*
 * flags when client is given. */
static inline int fluke_thread_set_state_ipc(fluke_thread_t *t, const fluke_thread_state_t *state,
					     const fluke_ref_t *space, const fluke_ref_t *scheduler,
					     const fluke_ref_t *client, const fluke_ref_t *server)
{
	void *links[FLUKE_THREAD_LINKS] = { (void *)space, (void *)scheduler, 0, (void *)client,
					    (void *)server };
	return fluke_object_set_state(t, state, links);
}

/* fluke_thread_self, fluke_thread_interrupt and fluke_thread_yield are system
 * calls (<fluke/syscalls.h>). */

#endif
