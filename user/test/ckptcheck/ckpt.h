/*
 * ckpt: the checkpoint acceptance test. The first task (the parent) runs a child
 * in a space C of its own making: C sees the parent's program text at its own
 * address and, at CHILD_VA, one region of the parent's free memory that holds
 * everything else the child has (struct child: its stacks, buffers, output words
 * and every kernel object it uses). child.c is the code the child runs, image.c
 * the checkpointer, ckpt.c the test.
 */
#ifndef CKPT_H
#define CKPT_H

#include <stdint.h>
#include <fluke/ipc.h>
#include <fluke/mutex.h>
#include <fluke/space.h>
#include <fluke/thread.h>
#include <fluke/extract.h>

#define PAGE		4096u
#define CHILD_VA	0x50000000u	/* where the child sees its region */
#define REQ_BYTES	(2 * PAGE)	/* the request of the child's RPC */
#define ROUNDS		(3000u * 4096u)	/* checksum rounds of the computing thread */
#define PROGRESS_EVERY	4096u		/* it records its progress this often */
#define PORT_ALIAS	0x51u		/* the alias of the child's port */
#define DONE		0xd09eu		/* out[OUT_DONE] once all three threads finished */

/* The child's threads, created (and found by region_search) in this order. */
enum { T_SERVER, T_WAITER, T_COMPUTE, NTHREADS };

/* The child's output: each word is written once, by the thread named. */
enum {
	OUT_SUM,		/* compute: the checksum of ROUNDS rounds */
	OUT_WAITER,		/* waiter: derived from OUT_SUM once signalled */
	OUT_SERVER_RC,		/* server: what its wait_receive returned */
	OUT_ALIAS,		/* server: the alias the request came through */
	OUT_BYTES,		/* server: bytes received */
	OUT_INBOX_SUM,		/* server: checksum of the request */
	OUT_CLIENT_RC,		/* compute: what its RPC returned */
	OUT_REPLY,		/* compute: the reply */
	OUT_DONE,		/* the last thread to finish: DONE */
	NOUT
};

/*
 * The child's region, seen by the child at CHILD_VA and by the parent wherever it
 * put the pages. It starts on a page boundary, so each stack is one page.
 */
struct child {
	uint8_t stack[NTHREADS][PAGE];
	uint8_t request[REQ_BYTES];	/* compute -> server */
	uint8_t inbox[REQ_BYTES];	/* where the server receives it */
	fluke_thread_t thread[NTHREADS];
	fluke_mutex_t mutex;		/* guards ready and finished */
	fluke_cond_t cond;		/* signalled when ready becomes 1 */
	fluke_pset_t pset;		/* the server waits here */
	fluke_port_t port;		/* delivers to pset, with alias PORT_ALIAS */
	fluke_ref_t port_ref;		/* the client's reference to port */
	uint32_t ready, finished;
	volatile uint32_t progress;	/* rounds done, a multiple of PROGRESS_EVERY */
	volatile uint32_t out[NOUT];
};

#define CHILD_PAGES	((uint32_t)((sizeof(struct child) + PAGE - 1) / PAGE))
#define CHILD_OBJECTS	(NTHREADS + 5)	/* threads, mutex, cond, pset, port, port_ref */

/* child.c: the threads' entry points; each takes the child's view of its region. */
void child_server(struct child *d);
void child_waiter(struct child *d);
void child_compute(struct child *d);

/* image.c: the checkpointer. */
#define IMAGE_OBJECTS	16
#define LINK_NONE	(-1)	/* a null link */
#define LINK_SPACE	(-2)	/* a link to the child's space */

/* One object: where it lives, its state, and per link slot the index in the image
 * of the object that link points to (or LINK_NONE, LINK_SPACE). */
struct saved_object {
	uint32_t off;			/* of its slot in the region */
	uint32_t type;			/* FLUKE_TYPE_* */
	union fluke_object_state state;	/* zero for a reference, which has none */
	int link[FLUKE_THREAD_LINKS];	/* slots past the type's count: LINK_NONE */
};

struct image {
	uint32_t size;			/* bytes of the region */
	uint8_t *memory;		/* the caller's size bytes: the region's contents */
	uint32_t nobjects;
	struct saved_object object[IMAGE_OBJECTS];	/* in address order */
};

/* Create the references the checkpointer works with: 0, or -1. */
int image_init(void);
/* Stop every thread in region r, then save every object in it (links resolved
 * against each other and space_ref, the child's space) and copy its memory into
 * im->memory. NULL, or why it could not: a type it does not restore, or a link to
 * an object outside the child. */
const char *image_extract(struct image *im, const fluke_region_t *r, const fluke_ref_t *space_ref);
/* Destroy every object in region r, threads first. NULL, or what is left. */
const char *image_clear(const fluke_region_t *r);
/* Into region r (im->size bytes, no objects): the memory, then every object at its
 * offset with its hash, its state and its links (space links to space_ref);
 * threads last, left stopped. NULL, or why it could not. */
const char *image_restore(const struct image *im, const fluke_region_t *r,
			  const fluke_ref_t *space_ref);
/* Clear FLUKE_THREAD_STOPPED of every thread of the image, restored in region r. */
void image_resume(const struct image *im, const fluke_region_t *r);
/* NULL if a and b hold the same memory and objects (offsets, types, states and
 * the links set_state sets), else the first difference. */
const char *image_compare(const struct image *a, const struct image *b);
/* The index of the object at offset off, or -1. */
int image_find(const struct image *im, uint32_t off);

#endif
