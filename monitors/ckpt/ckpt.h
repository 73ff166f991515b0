/*
 * The checkpointer (ckpt.c says what it does). Its pieces:
 *   ckpt.c     options, the services it serves its child, the answers it keeps
 *              for resends, the triggers, and the restore at boot;
 *   save.c     a checkpoint: stop every thread of the child, find every object
 *              in the memory it granted, read their states and links, find the
 *              pages written since the last checkpoint, all into an image in
 *              memory; then copy the memory into it, or just the written pages
 *              into a delta against the one before (below);
 *   restore.c  check an image, apply deltas to it, and rebuild the child from it
 *              at the same addresses with the same hashes, its links to the
 *              outside joined to this monitor's fresh ports;
 *   disk.c     images on the Block disk: two slots, each a chain of a full image
 *              and deltas, a header each, written data first and header last.
 *
 * The image in memory (struct image and what follows it in one buffer):
 *   struct image, then nareas struct saved_area, nclients struct saved_client,
 *   ngrants struct saved_grant, nobjects struct saved_object, nanswers struct
 *   saved_answer, then the bytes of each area and then of each grant, in that
 *   order.
 * The child is a whole subtree when it is a monitor (nest, pm): the spaces it
 * makes for its own children, their threads, ports and mappings all live in
 * memory this monitor granted it, so they are objects of the image like any
 * other (a space's one link is its keeper); and it has more clients here than
 * its own (Parent CLIENT, one for each client of its own), each with its ports,
 * its grants and its kept answers. The clients are saved in an order where each
 * one's owner comes before it, the child's own client first.
 * An object is where it lives (an area or a grant and the offset there, or the
 * child's first thread, which lives in this monitor's child table) and its
 * state; each link slot is the index of the object it points to, or one of the
 * LINK_* values for what lies outside the child but is this monitor's to give
 * again: the child's space, its clients' ports, the regions granted it.
 *
 * Invariants: everything is done with the monitor's lock held; a child is
 * checkpointed only while every one of its threads is stopped and no request of
 * its is being forwarded (paused, below), and resumed only after the image is
 * on disk or the checkpoint has failed.
 */
#ifndef CKPT_H
#define CKPT_H

#include <fluke/monitor.h>
#include <fluke/extract.h>
#include <fluke/abi/state.h>
#include <fluke/abi/thread.h>
#include <stdint.h>

#define PAGE		4096u
#define MAX_AREAS	FLUKE_PROC_AREAS
#define MAX_GRANTS	64
#define MAX_OBJECTS	1024
#define MAX_CLIENTS	16	/* the child's clients here: its own and CLIENT's */
#define MAX_ANSWERS	64
#define NAME_MAX	FLUKE_MON_NAME

/* Where an object lives: an area index, GRANT_BASE + a grant index, or the first
 * thread (the child's proc.thread in this monitor's table). */
#define GRANT_BASE	0x100
#define LOC_MAIN	0xffffu

/* Links to what is outside the child's memory (others are object indexes). */
#define LINK_NONE	(-1)
#define LINK_SPACE	(-2)
#define LINK_PORT(c, k)	(-16 - (int)((c) * FLUKE_MON_PORTS + (k)))	/* port k of saved
								 * client c */
#define LINK_GRANT(g)	(-256 - (int)(g))	/* the region of grant g */
#define IS_PORT(l)	((l) <= -16 && (l) > -16 - MAX_CLIENTS * FLUKE_MON_PORTS)
#define PORT_CLIENT(l)	((uint32_t)(-16 - (l)) / FLUKE_MON_PORTS)	/* of an IS_PORT link */
#define PORT_INDEX(l)	((uint32_t)(-16 - (l)) % FLUKE_MON_PORTS)
#define IS_GRANT(l)	((l) <= -256 && (l) > -256 - MAX_GRANTS)

struct image {
	uint32_t nareas, nclients, ngrants, nobjects, nanswers;
	uint32_t space_hash, space_limit;
	uint32_t memory;		/* bytes of areas and grants after the tables */
	char name[NAME_MAX];		/* the program */
};

struct saved_area {
	uint32_t va, size, prot;	/* in the child */
};

/* One of the child's clients: the first is its own (owner NO_OWNER). */
#define NO_OWNER	0xffffffffu
struct saved_client {
	uint32_t owner;			/* the saved client it was made through */
	uint32_t request;		/* the CLIENT request's id */
};

struct saved_grant {
	uint32_t client;		/* the saved client it was granted to */
	uint32_t size;			/* each client's in fluke_grant_each order */
};

struct saved_object {
	uint32_t loc, off;		/* see LOC_MAIN, GRANT_BASE */
	uint32_t type;			/* FLUKE_TYPE_* */
	union fluke_object_state state;	/* zero for a reference, which has none */
	int link[FLUKE_THREAD_LINKS];
};

/* An answer this monitor gave the child and may have to give again (a resend by
 * a thread that was stopped in the call: see <fluke/rpc.h>, "Request ids"). */
struct saved_answer {
	uint32_t client;		/* the saved client it was given to */
	uint32_t service, op, id;	/* of the request */
	int grant;			/* the reference the answer carried: a grant
					 * index, or -1 for none */
	struct fluke_rpc_msg reply;	/* header and data */
};

/* The tables of an image of im->n* entries, after *im in its buffer. */
static inline struct saved_area *image_areas(struct image *im)
{
	return (struct saved_area *)(im + 1);
}
static inline struct saved_client *image_clients(struct image *im)
{
	return (struct saved_client *)(image_areas(im) + im->nareas);
}
static inline struct saved_grant *image_grants(struct image *im)
{
	return (struct saved_grant *)(image_clients(im) + im->nclients);
}
static inline struct saved_object *image_objects(struct image *im)
{
	return (struct saved_object *)(image_grants(im) + im->ngrants);
}
static inline struct saved_answer *image_answers(struct image *im)
{
	return (struct saved_answer *)(image_objects(im) + im->nobjects);
}
static inline char *image_memory(struct image *im)
{
	return (char *)(image_answers(im) + im->nanswers);
}
static inline uint32_t image_bytes(struct image *im)
{
	return (uint32_t)(image_memory(im) - (char *)im) + im->memory;
}

/* ckpt.c */
extern struct fluke_monitor mon;
/* The answers kept for the child's clients (nanswers of them, at most one per
 * client, service and op); save.c saves those of the child's clients,
 * restore.c puts them back. */
struct answer {
	uint32_t client, service, op, id, refs;
	struct fluke_rpc_msg reply;
	fluke_ref_t ref;
};
extern struct answer answers[MAX_ANSWERS];
extern uint32_t nanswers;

/* Wait (the lock released) until no request of the child is being forwarded;
 * meanwhile new ones wait until the checkpoint is done. */
void ckpt_quiesce(void);

/* save.c: the image of running child slot into *buf (*size bytes, malloc; made
 * larger if need be, to a whole number of disk sectors), all but its memory,
 * and the pages written since the last call (or ckpt_track): NULL, or why not.
 * Its threads are left stopped either way: ckpt_resume restarts them. */
const char *ckpt_save(uint32_t slot, struct image **buf, uint32_t *size);
/* The memory of the child ckpt_save saw into im's (its threads still stopped). */
void image_fill(struct image *im);
/* Start tracking the writes of child c (restore.c, before its threads run): 0, or
 * -1 if it cannot (no memory). */
int ckpt_track(struct fluke_child *c);
/* ckpt.c: whether every write of the child since the checkpoint last made (or
 * the restore) has been tracked, so a delta of the written pages is right. */
extern int tracked;
void ckpt_resume(void);
/* Clear thread t's FLUKE_THREAD_STOPPED. */
void thread_resume(fluke_thread_t *t);
/* Counts of the last ckpt_save, for the METRIC line. */
extern uint32_t saved_threads;

/* restore.c: a new child rebuilt from im (checked by disk.c), its threads
 * running; its pid in *pid. NULL, or why not, having left nothing. */
const char *ckpt_restore(struct image *im, uint32_t *pid);
/* NULL if im's length bytes hold tables that fit together, else what is wrong. */
const char *image_check(struct image *im, uint32_t length);

/*
 * An incremental checkpoint is a delta against the checkpoint before it: the
 * whole tables of the new image (struct image and everything after it but the
 * memory: they are small), then npages page indexes into the memory and those
 * pages' bytes. It is made only when the memory is laid out as before (the same
 * areas and grants) and every write since was tracked; otherwise the checkpoint
 * is a full image.
 *
 * Which pages were written: the kernel's write tracking of the regions this
 * monitor exports the child's memory through (fluke_region_dirty, handouts/api.md
 * 7.3): every page the child has lies under one of them, and every write to it,
 * the child's own or the kernel's for it (IPC, system call buffers), passes
 * through it. Each checkpoint reads and restarts it while the child is stopped,
 * so the next one copies just the k pages written since, and its cost follows k,
 * not the child's size. Why this and not write-protecting the regions and
 * catching the faults here: the kernel already sees the first write to a page
 * (it builds the PTE), so it records it and lets the write on, costing one
 * resolver walk; a fault sent to this monitor would cost an IPC round trip and
 * a protection change per page, and its keeper would also get the faults of the
 * kernel's own writes for the child, among them this monitor's replies into the
 * child's buffers (a Console READ's), which it would have to serve while it
 * replies. A new region (a grant since) reports all its pages; a region larger
 * than FLUKE_DIRTY_PAGES counts as all written.
 */
struct delta {
	uint32_t tables;	/* bytes */
	uint32_t npages;
};

/* save.c: the delta from prev to cur (just made by ckpt_save, its memory not
 * filled) into *buf (*size bytes, malloc, grown as needed), its length in *length
 * and its pages in *npages: 0, or -1 if the layouts differ (or no memory): write a
 * full image instead. */
int delta_make(struct image *prev, struct image *cur, char **buf, uint32_t *size,
	       uint32_t *length, uint32_t *npages);
/* restore.c: *im (malloc) replaced by itself with the delta's length bytes
 * applied: NULL, or what is wrong with the delta. */
const char *image_apply(struct image **im, const char *delta, uint32_t length);
/* Whether a and b have the same areas and grants (their tables only). */
int same_layout(struct image *a, struct image *b);

/* disk.c */
#define CKPT_VERSION	3	/* 3: the clients, spaces in the image */
#define MAX_CHAIN	32	/* records a slot's chain holds: a full image and deltas */
/* Whether there is a disk, and how many sectors: at start. */
int disk_init(void);
/* Write im (image_bytes of it) as checkpoint seq, built by build: data first,
 * header last, into the slot the previous checkpoint is not in. NULL or why not. */
const char *disk_write(struct image *im, uint32_t seq, uint32_t build);
/* Append the delta (length bytes; the buffer has room to the end of its last
 * sector) to the latest checkpoint's chain as checkpoint seq: 0, or -1 if it
 * cannot (no chain, the chain or its slot is full, a write failed). */
int disk_append(const void *delta, uint32_t length, uint32_t seq);
/* The latest complete checkpoint (its chain applied) into a new buffer (*im, malloc), its number in
 * *seq: NULL, or a message naming what is wrong (no disk, no image, another
 * build, truncated, corrupt). */
const char *disk_read(uint32_t build, struct image **im, uint32_t *seq);
/* FNV-1a of n bytes, going on from h (start with FNV_START). */
#define FNV_START	2166136261u
uint32_t fnv(uint32_t h, const void *p, uint32_t n);

#endif
