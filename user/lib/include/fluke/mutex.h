/*
 * Mutexes and condition variables. A mutex is created unlocked. Blocking calls
 * restart from the thread's registers: a thread waiting in fluke_mutex_lock, once
 * resumed, simply calls it again; one woken in fluke_cond_wait resumes in its
 * second half, fluke_cond_reacquire, which locks the mutex again (so, as with any
 * condition variable, recheck the condition after fluke_cond_wait returns).
 */
#ifndef FLUKE_MUTEX_H
#define FLUKE_MUTEX_H

#include <fluke/object.h>
#include <fluke/abi/state.h>

FLUKE_OBJECT_CALLS(mutex, FLUKE_TYPE_MUTEX)
FLUKE_REFERENCE_CALL(mutex)

static inline int fluke_mutex_get_state(const fluke_mutex_t *m, fluke_mutex_state_t *state,
					fluke_ref_t *owner_ref)
{
	void *links[1] = { owner_ref };
	return fluke_object_get_state(m, state, links);
}

static inline int fluke_mutex_set_state(fluke_mutex_t *m, const fluke_mutex_state_t *state,
					const fluke_ref_t *owner_ref)
{
	void *links[1] = { (void *)owner_ref };
	return fluke_object_set_state(m, state, links);
}

FLUKE_OBJECT_CALLS(cond, FLUKE_TYPE_COND)
FLUKE_REFERENCE_CALL(cond)

static inline int fluke_cond_get_state(const fluke_cond_t *c, fluke_cond_state_t *state,
				       fluke_ref_t *inheritor_ref)
{
	void *links[1] = { inheritor_ref };
	return fluke_object_get_state(c, state, links);
}

static inline int fluke_cond_set_state(fluke_cond_t *c, const fluke_cond_state_t *state,
				       const fluke_ref_t *inheritor_ref)
{
	void *links[1] = { (void *)inheritor_ref };
	return fluke_object_set_state(c, state, links);
}

/* fluke_mutex_lock, _trylock, _unlock and fluke_cond_wait, _signal, _broadcast (and
 * _reacquire) are system calls (<fluke/syscalls.h>). */

#endif
