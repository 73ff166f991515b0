/*
 * The calls every object type shares, under Fluke's per-type names. They are thin
 * wrappers of the generic object_* system calls (handouts/api.md), which act on
 * whatever object lives at the address: the C types only catch mix-ups early.
 *   fluke_T_create(ob)            fluke_T_create_hash(ob, hash)
 *   fluke_T_destroy(ob)           fluke_T_move(old, new)
 *   fluke_T_reference(ob, ref)    (referencable types only)
 * Each type's header adds its state struct, get_state/set_state and its own calls.
 */
#ifndef FLUKE_OBJECT_H
#define FLUKE_OBJECT_H

#include <fluke/abi/types.h>
#include <fluke/syscalls.h>

#define FLUKE_OBJECT_CALLS(T, TYPE)                                                   \
	static inline int fluke_##T##_create(fluke_##T##_t *ob)                        \
	{                                                                              \
		return fluke_object_create(TYPE, ob, 0, 0);                            \
	}                                                                              \
	static inline int fluke_##T##_create_hash(fluke_##T##_t *ob, uint32_t hash)    \
	{                                                                              \
		return fluke_object_create(TYPE, ob, hash, 1);                         \
	}                                                                              \
	static inline int fluke_##T##_destroy(fluke_##T##_t *ob)                       \
	{                                                                              \
		return fluke_object_destroy(ob);                                       \
	}                                                                              \
	static inline int fluke_##T##_move(fluke_##T##_t *old_ob, fluke_##T##_t *new_ob) \
	{                                                                              \
		return fluke_object_move(old_ob, new_ob);                              \
	}

#define FLUKE_REFERENCE_CALL(T)                                                       \
	static inline int fluke_##T##_reference(const fluke_##T##_t *ob, fluke_ref_t *ref) \
	{                                                                              \
		return fluke_object_reference(ob, ref);                                \
	}

#endif
