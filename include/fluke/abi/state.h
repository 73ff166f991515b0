/*
 * The state structs of objects (fluke_T_get_state / fluke_T_set_state), shared by
 * programs and the kernel. Each starts with the object's hash: read-only, set once
 * at creation, never changed by set_state. Links to other objects are not part of
 * these structs: they travel in reference objects (see handouts/api.md).
 */
#ifndef FLUKE_STATE_H
#define FLUKE_STATE_H

#include <stdint.h>

/* Mutex flags. INHERIT_PRI: the owner runs at least at the priority of every
 * thread waiting for the mutex. PRI_CEILING is recorded only (the state holds no
 * ceiling); MULTITASK is recorded only (every mutex works across spaces). */
#define FLUKE_MUTEX_INHERIT_PRI	0x1
#define FLUKE_MUTEX_PRI_CEILING	0x2
#define FLUKE_MUTEX_MULTITASK	0x4
#define FLUKE_MUTEX_FLAGS	0x7

/* Mutex. Link: the owner thread (null when unlocked). */
typedef struct fluke_mutex_state {
	uint32_t hash;
	uint32_t flags;		/* FLUKE_MUTEX_* */
	uint32_t locked;	/* 0 or 1; set_state with 1 makes the caller the owner */
} fluke_mutex_state_t;

/* Condition variable flags: recorded only (every condition works across spaces). */
#define FLUKE_COND_MULTITASK	0x1
#define FLUKE_COND_FLAGS	0x1

/* Condition variable. Link: the inheritor thread (the one expected to signal, in
 * Fluke's priority-inheritance design): recorded and exported, not acted on. */
typedef struct fluke_cond_state {
	uint32_t hash;
	uint32_t flags;		/* FLUKE_COND_* */
} fluke_cond_state_t;

/* Port. Link: the port set it delivers messages to (null: none). */
typedef struct fluke_port_state {
	uint32_t hash;
	uint32_t alias;		/* given to the server with each message, to tell ports apart */
} fluke_port_state_t;

/* Port set. No links. */
typedef struct fluke_pset_state {
	uint32_t hash;
} fluke_pset_state_t;

/* Reference: no simple state; its one link is its target. */

#endif
