/*
 * The checkpoint acceptance test. The first task (the parent) builds a child
 * space C: its own program text mapped at the same address, and at CHILD_VA one
 * region of its free memory holding the child's stacks, buffers, output and every
 * kernel object the child uses (struct child, ckpt.h). The child has three
 * threads: a server waiting in a reliable wait_receive, a waiter on a condition
 * variable, and a thread computing a long checksum, which then signals the waiter
 * and makes an RPC to the server. Records:
 *   ckpt-uninterrupted  run 1 runs to the end; its output is kept
 *   ckpt-extract        run 2 is stopped while the three threads are in those
 *                       states: every object found, its state and links read,
 *                       the memory copied
 *   ckpt-restore        the child is destroyed and rebuilt from the image in
 *                       other pages (same child addresses, same hashes); read
 *                       back, it matches the image; resumed, the blocked threads
 *                       block again on the recreated objects
 *   ckpt-same-output    the rebuilt child finishes with run 1's output
 *   METRIC ckpt objects=N threads=N pages=N
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <fluke/abi/boot.h>
#include <fluke/abi/error.h>
#include <fluke/ref.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>
#include "ckpt.h"

#define PATIENCE	2000	/* parent yields before a wait counts as a failure */
#define CKPT_YIELDS	3	/* parent yields before the checkpoint: about 3 timer
				 * slices of the computing thread, a quarter of its rounds */

#define ENSURE(test, cond)                                                         \
	do {                                                                       \
		if (!(cond)) {                                                     \
			test_record("FAIL", "%s %s:%d: %s", test, __FILE__, __LINE__, #cond); \
			return -1;                                                 \
		}                                                                  \
	} while (0)
#define ENSURE_OK(test, why)                                                       \
	do {                                                                       \
		const char *why_ = (why);                                          \
		if (why_) {                                                        \
			test_record("FAIL", "%s %s:%d: %s", test, __FILE__, __LINE__, why_); \
			return -1;                                                 \
		}                                                                  \
	} while (0)

static struct fluke_boot_info *boot;
static uint32_t next_free;		/* next unused page of the parent's free memory */

/* The child's container, in the parent's memory: its space, the region over the
 * parent's pages that holds the child, and the two mappings into the space. */
static fluke_space_t space;
static fluke_region_t region;
static fluke_mapping_t map_text, map_region;
static fluke_ref_t ref_self, ref_space, ref_tmp, ref_a, ref_b;

static struct image im, check;		/* the checkpoint; the restored child read back */
static fluke_space_state_t saved_space;	/* the child space's hash and memory limit */
static uint32_t run1[NOUT];		/* the uninterrupted run's output */

/* n zeroed pages of the parent's free memory: their address. */
static uint32_t take_pages(uint32_t n)
{
	uint32_t va = next_free;
	next_free += n * PAGE;
	memset((void *)va, 0, n * PAGE);
	return va;
}

/* Build C around the pages at base (CHILD_PAGES of them): a space with the given
 * hash and state (NULL: a fresh one), the program text, the region at CHILD_VA. */
static int build_container(uint32_t base, const fluke_space_state_t *saved)
{
	struct fluke_boot_area *text = NULL;
	for (uint32_t i = FLUKE_BOOT_SEGMENTS; i < boot->nareas; i++)
		if (boot->areas[i].prot & FLUKE_PROT_EXEC)
			text = &boot->areas[i];
	if (!text)
		return -1;
	fluke_region_state_t rs = { 0, base, CHILD_PAGES * PAGE, FLUKE_PROT_ALL };
	fluke_mapping_state_t ts = { 0, 0, text->start_va, text->size,
				     FLUKE_PROT_READ | FLUKE_PROT_EXEC };
	fluke_mapping_state_t ms = { 0, 0, CHILD_VA, CHILD_PAGES * PAGE,
				     FLUKE_PROT_READ | FLUKE_PROT_WRITE };
	if (saved ? fluke_space_create_hash(&space, saved->hash) ||
		    fluke_space_set_state(&space, saved, NULL)
		  : fluke_space_create(&space))
		return -1;
	return fluke_space_reference(&space, &ref_space) ||
	       fluke_mapping_create(&map_text) ||
	       fluke_mapping_set_state(&map_text, &ts, &text->region_ref, &ref_space) ||
	       fluke_region_create(&region) || fluke_region_set_state(&region, &rs, &ref_self, NULL) ||
	       fluke_region_reference(&region, &ref_tmp) || fluke_mapping_create(&map_region) ||
	       fluke_mapping_set_state(&map_region, &ms, &ref_tmp, &ref_space);
}

static void destroy_container(void)
{
	fluke_space_destroy(&space);
	fluke_mapping_destroy(&map_text);
	fluke_mapping_destroy(&map_region);
	fluke_region_destroy(&region);
}

/* Create the child's objects in its region (pv: the parent's view of it) and start
 * its threads in C, each at its entry point on its own stack. */
static int start_child(struct child *pv)
{
	static void (*const entry[NTHREADS])(struct child *) = {
		[T_SERVER] = child_server, [T_WAITER] = child_waiter, [T_COMPUTE] = child_compute,
	};
	fluke_port_state_t ps = { 0, PORT_ALIAS };
	if (fluke_mutex_create(&pv->mutex) || fluke_cond_create(&pv->cond) ||
	    fluke_pset_create(&pv->pset) || fluke_port_create(&pv->port) ||
	    fluke_ref_create(&pv->port_ref) || fluke_pset_reference(&pv->pset, &ref_tmp) ||
	    fluke_port_set_state(&pv->port, &ps, &ref_tmp) ||
	    fluke_port_reference(&pv->port, &pv->port_ref))
		return -1;
	for (int i = 0; i < NTHREADS; i++) {
		uint32_t top = offsetof(struct child, stack[i]) + PAGE - 16;
		uint32_t *sp = (uint32_t *)((uint32_t)pv + top);
		sp[0] = 0;			/* return address: none, the thread ends itself */
		sp[1] = CHILD_VA;		/* the argument: the child's view of its region */
		fluke_thread_state_t st = { .priority = FLUKE_PRIO_DEFAULT,
					    .eip = (uint32_t)entry[i], .esp = CHILD_VA + top };
		if (fluke_thread_create(&pv->thread[i]) ||
		    fluke_thread_set_state(&pv->thread[i], &st, &ref_space, NULL))
			return -1;
	}
	return 0;
}

/* Yield until the child says it is done. */
static int wait_done(const struct child *pv)
{
	for (int i = 0; i < PATIENCE && pv->out[OUT_DONE] != DONE; i++)
		fluke_thread_yield();
	return pv->out[OUT_DONE] == DONE;
}

static int at_syscall(uint32_t eip)
{
	const uint8_t *p = (const uint8_t *)eip;
	return p[0] == 0xcd && p[1] == 0x40;	/* int $0x40 */
}

static int uninterrupted(void)
{
	const char *t = "ckpt-uninterrupted";
	uint32_t base = take_pages(CHILD_PAGES);
	struct child *pv = (struct child *)base;
	test_record("BEGIN", "%s", t);
	ENSURE(t, build_container(base, NULL) == 0);
	ENSURE(t, start_child(pv) == 0);
	ENSURE(t, wait_done(pv));
	for (int i = 0; i < NOUT; i++)
		run1[i] = pv->out[i];
	ENSURE(t, run1[OUT_SERVER_RC] == FLUKE_SUCCESS && run1[OUT_ALIAS] == PORT_ALIAS);
	ENSURE(t, run1[OUT_BYTES] == REQ_BYTES);
	ENSURE(t, run1[OUT_CLIENT_RC] == FLUKE_IPC_RECV_DISCONNECTED);
	ENSURE(t, run1[OUT_REPLY] == ~run1[OUT_INBOX_SUM]);
	ENSURE(t, run1[OUT_WAITER] == run1[OUT_SUM] * 2654435761u + 1);
	test_record("INFO", "ckpt output sum=%08x waiter=%08x inbox=%08x reply=%08x", run1[OUT_SUM],
		    run1[OUT_WAITER], run1[OUT_INBOX_SUM], run1[OUT_REPLY]);
	ENSURE_OK(t, image_clear(&region));	/* what the threads did not destroy */
	destroy_container();
	test_record("PASS", "%s", t);
	return 0;
}

/* The saved state of the object at offset off, which must have the given type. */
static const struct saved_object *saved_at(uint32_t off, uint32_t type)
{
	int i = image_find(&im, off);
	return i >= 0 && im.object[i].type == type ? &im.object[i] : NULL;
}

#define OFF(field) ((uint32_t)offsetof(struct child, field))

/* The three threads are where the test wants them, as their saved states show. */
static int check_states(const char *t)
{
	const struct saved_object *srv = saved_at(OFF(thread[T_SERVER]), FLUKE_TYPE_THREAD);
	const struct saved_object *wai = saved_at(OFF(thread[T_WAITER]), FLUKE_TYPE_THREAD);
	const struct saved_object *cmp = saved_at(OFF(thread[T_COMPUTE]), FLUKE_TYPE_THREAD);
	const struct child *saved_child = (const struct child *)im.memory;
	ENSURE(t, srv && wai && cmp);
	const fluke_thread_state_t *s = &srv->state.thread, *w = &wai->state.thread,
				   *c = &cmp->state.thread;
	/* The server waits in wait_receive on the port set, no connection yet: its
	 * registers are the whole call (ops, port set, params, alias pointer). */
	ENSURE(t, at_syscall(s->eip) && s->eax == SYS_ipc);
	ENSURE(t, s->ebx == FLUKE_IPC_OPS(FLUKE_IPC_WAIT_STEPS));
	ENSURE(t, s->ecx == CHILD_VA + OFF(pset));
	ENSURE(t, srv->link[FLUKE_THREAD_LINK_WAITING_FOR] == image_find(&im, OFF(pset)));
	ENSURE(t, srv->link[FLUKE_THREAD_LINK_CLIENT] == LINK_NONE &&
		 srv->link[FLUKE_THREAD_LINK_SERVER] == LINK_NONE);
	test_record("INFO", "ckpt-state server eip=%08x eax=%u (ipc) ebx=%08x ecx=%08x "
		    "waiting_for=pset client=none server=none", s->eip, s->eax, s->ebx, s->ecx);
	/* The waiter waits on the condition: stopped, its call reads cond_reacquire. */
	ENSURE(t, at_syscall(w->eip) && w->eax == SYS_cond_reacquire);
	ENSURE(t, w->ebx == CHILD_VA + OFF(cond) && w->ecx == CHILD_VA + OFF(mutex));
	ENSURE(t, wai->link[FLUKE_THREAD_LINK_WAITING_FOR] == image_find(&im, OFF(cond)));
	test_record("INFO", "ckpt-state waiter eip=%08x eax=%u (cond_reacquire) ebx=%08x "
		    "ecx=%08x waiting_for=cond", w->eip, w->eax, w->ebx, w->ecx);
	/* The computing thread is in its loop: in no call, with rounds left. */
	ENSURE(t, !at_syscall(c->eip) && cmp->link[FLUKE_THREAD_LINK_WAITING_FOR] == LINK_NONE);
	ENSURE(t, c->esp > CHILD_VA + OFF(stack[T_COMPUTE]) &&
		 c->esp <= CHILD_VA + OFF(stack[T_COMPUTE]) + PAGE);
	ENSURE(t, saved_child->progress > 0 && saved_child->progress < ROUNDS);
	test_record("INFO", "ckpt-state compute eip=%08x progress=%u/%u waiting_for=none",
		    c->eip, saved_child->progress, ROUNDS);
	/* All three in the space, and every link resolved. */
	ENSURE(t, srv->link[FLUKE_THREAD_LINK_SPACE] == LINK_SPACE &&
		 wai->link[FLUKE_THREAD_LINK_SPACE] == LINK_SPACE &&
		 cmp->link[FLUKE_THREAD_LINK_SPACE] == LINK_SPACE);
	const struct saved_object *port = saved_at(OFF(port), FLUKE_TYPE_PORT);
	const struct saved_object *pref = saved_at(OFF(port_ref), FLUKE_TYPE_REF);
	const struct saved_object *mutex = saved_at(OFF(mutex), FLUKE_TYPE_MUTEX);
	ENSURE(t, port && port->state.port.alias == PORT_ALIAS &&
		 port->link[0] == image_find(&im, OFF(pset)));
	ENSURE(t, pref && pref->link[0] == image_find(&im, OFF(port)));
	ENSURE(t, mutex && mutex->state.mutex.locked == 0 && mutex->link[0] == LINK_NONE);
	ENSURE(t, saved_at(OFF(cond), FLUKE_TYPE_COND) && saved_at(OFF(pset), FLUKE_TYPE_PSET));
	return 0;
}

/* Run 2 up to the checkpoint, and the checkpoint. */
static int extract(struct child *pv)
{
	const char *t = "ckpt-extract";
	test_record("BEGIN", "%s", t);
	ENSURE(t, build_container((uint32_t)pv, NULL) == 0);
	ENSURE(t, start_child(pv) == 0);
	for (int i = 0; i < CKPT_YIELDS; i++)
		fluke_thread_yield();
	ENSURE_OK(t, image_extract(&im, &region, &ref_space));
	ENSURE(t, fluke_space_get_state(&space, &saved_space, &ref_a) == 0);
	ENSURE(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_NONE);	/* no keeper to restore */
	ENSURE(t, im.nobjects == CHILD_OBJECTS);
	ENSURE(t, check_states(t) == 0);
	test_record("METRIC", "ckpt objects=%u threads=%u pages=%u", im.nobjects, NTHREADS,
		    im.size / PAGE);
	test_record("PASS", "%s", t);
	return 0;
}

/* thread (the parent's address) waits on the object at ob (the parent's address):
 * stop it, compare its waiting_for link, let it go on. */
static int waits_on(fluke_thread_t *thread, const void *ob)
{
	fluke_thread_state_t st;
	fluke_thread_get_state(thread, &st, NULL, NULL, &ref_a, NULL, NULL);
	fluke_object_reference(ob, &ref_b);
	st.flags &= ~FLUKE_THREAD_STOPPED;
	fluke_thread_set_state(thread, &st, NULL, NULL);
	return fluke_ref_compare(&ref_a, &ref_b);
}

/* Destroy the child, rebuild it from the image in other pages, resume it. */
static int restore(struct child *old, struct child *pv)
{
	const char *t = "ckpt-restore";
	test_record("BEGIN", "%s", t);
	ENSURE_OK(t, image_clear(&region));
	destroy_container();
	memset(old, 0xdb, CHILD_PAGES * PAGE);	/* nothing of the child is left there */

	ENSURE(t, build_container((uint32_t)pv, &saved_space) == 0);
	ENSURE_OK(t, image_restore(&im, &region, &ref_space));
	/* Read back before anything runs: the same memory, objects, states and links. */
	ENSURE_OK(t, image_extract(&check, &region, &ref_space));
	ENSURE_OK(t, image_compare(&im, &check));
	fluke_space_state_t st;
	ENSURE(t, fluke_space_get_state(&space, &st, NULL) == 0);
	ENSURE(t, st.hash == saved_space.hash && st.mem_limit == saved_space.mem_limit);
	image_resume(&im, &region);
	/* Resumed, the blocked threads' registers put them back on the new objects. */
	fluke_thread_yield();
	ENSURE(t, waits_on(&pv->thread[T_SERVER], &pv->pset));
	ENSURE(t, waits_on(&pv->thread[T_WAITER], &pv->cond));
	ENSURE(t, pv->out[OUT_DONE] == 0);
	test_record("PASS", "%s", t);
	return 0;
}

static int same_output(struct child *pv)
{
	const char *t = "ckpt-same-output";
	test_record("BEGIN", "%s", t);
	ENSURE(t, wait_done(pv));
	for (int i = 0; i < NOUT; i++)
		ENSURE(t, pv->out[i] == run1[i]);
	ENSURE_OK(t, image_clear(&region));
	destroy_container();
	test_record("PASS", "%s", t);
	return 0;
}

int main(int argc, char **argv, struct fluke_boot_info *info)
{
	(void)argc, (void)argv;
	boot = info;
	next_free = boot->areas[FLUKE_BOOT_FREE].start_va;
	if (image_init() || fluke_ref_create(&ref_self) || fluke_ref_create(&ref_space) ||
	    fluke_ref_create(&ref_tmp) || fluke_ref_create(&ref_a) || fluke_ref_create(&ref_b) ||
	    fluke_space_self(&ref_self)) {
		test_record("FAIL", "ckpt setup");
		return 1;
	}
	im.memory = (uint8_t *)take_pages(CHILD_PAGES);
	check.memory = (uint8_t *)take_pages(CHILD_PAGES);
	struct child *run2 = (struct child *)take_pages(CHILD_PAGES);
	struct child *rebuilt = (struct child *)take_pages(CHILD_PAGES);
	int failed = uninterrupted() || extract(run2) || restore(run2, rebuilt) ||
		     same_output(rebuilt);
	printf("ckpt: %s\n", failed ? "failed" : "the checkpointed child finished as run 1 did");
	return failed;
}
