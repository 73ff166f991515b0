/* Keepers: the message format (<fluke/abi/keeper.h>) and the library's server loop. */
#ifndef FLUKE_KEEPER_H
#define FLUKE_KEEPER_H

#include <fluke/abi/keeper.h>
#include <fluke/abi/types.h>

/* A keeper's server loop call (user/lib/keeper.c): answer the last request first if
 * `answer` (verdict 0: handled, an empty reply; else the one word "not handled"),
 * then wait on ps for the next one into *msg, with its references in thread and
 * about (reference objects). 0 once a whole request has arrived; the IPC result
 * otherwise (FLUKE_INVALID_ARGUMENT for a message that is not a keeper request). */
int fluke_keeper_next(fluke_pset_t *ps, int answer, uint32_t verdict, fluke_keeper_msg_t *msg,
		      fluke_ref_t *thread, fluke_ref_t *about);

#endif
