/*
 * Kernel object types. Every object lives in 16 bytes of the creator's memory,
 * 16-byte aligned, in a page the creator may write and create objects in. After
 * create, that memory belongs to the kernel's object: use it only to name the object
 * in calls (its contents are undefined). An object is named by its address in the
 * caller's space; any space that maps the same page sees it at its own address.
 */
#ifndef FLUKE_TYPES_H
#define FLUKE_TYPES_H

#include <stdint.h>

typedef enum {
	FLUKE_TYPE_NONE = 0,	/* no object (a null reference) */
	FLUKE_TYPE_THREAD,
	FLUKE_TYPE_SPACE,	/* an address space: the Fluke API's "task" */
	FLUKE_TYPE_REGION,
	FLUKE_TYPE_MAPPING,
	FLUKE_TYPE_PORT,
	FLUKE_TYPE_PSET,
	FLUKE_TYPE_MUTEX,
	FLUKE_TYPE_COND,
	FLUKE_TYPE_REF,
	FLUKE_TYPE_COUNT	/* one past the last type */
} fluke_type_t;

#define FLUKE_OBJECT_SIZE	16	/* bytes, and alignment, of every object */

#define FLUKE_OBJECT_STRUCT(name) \
	typedef struct { uint32_t opaque[4]; } __attribute__((aligned(FLUKE_OBJECT_SIZE))) name

FLUKE_OBJECT_STRUCT(fluke_thread_t);
FLUKE_OBJECT_STRUCT(fluke_space_t);
FLUKE_OBJECT_STRUCT(fluke_region_t);
FLUKE_OBJECT_STRUCT(fluke_mapping_t);
FLUKE_OBJECT_STRUCT(fluke_port_t);
FLUKE_OBJECT_STRUCT(fluke_pset_t);
FLUKE_OBJECT_STRUCT(fluke_mutex_t);
FLUKE_OBJECT_STRUCT(fluke_cond_t);
FLUKE_OBJECT_STRUCT(fluke_ref_t);

#endif
