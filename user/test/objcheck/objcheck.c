/*
 * Checks of the object calls (handouts/api.md), reported as test records: every
 * type's state survives a get_state/set_state round trip, hashes are immutable,
 * objects move, references bind, copy, compare and go null when their target is
 * destroyed, and mutexes and condition variables return the documented codes.
 * Misuse is not tried here: it kills the caller (user/test/objfault does that).
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/exception.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>
#include <fluke/ref.h>
#include <fluke/mutex.h>
#include <fluke/port.h>
#include <fluke/test.h>

/* Objects in bss and data; the stack holds more (all may hold objects). */
static fluke_mutex_t mutexes[3];
static fluke_cond_t cond;
static fluke_port_t ports[2];
static fluke_pset_t psets[1];
static fluke_ref_t refs[4];
static fluke_mutex_t data_mutex = { { 1, 2, 3, 4 } };	/* initialized: lives in .data */

/* The type refs[i] points to, and whether refs[i] and refs[j] point to the same object. */
static int type_of(int i)
{
	return fluke_ref_type(&refs[i]);
}

static int same(int i, int j)
{
	return fluke_ref_compare(&refs[i], &refs[j]);
}

static void make_refs(void)
{
	for (int i = 0; i < 4; i++)
		fluke_ref_create(&refs[i]);
}

static void drop_refs(void)
{
	for (int i = 0; i < 4; i++)
		fluke_ref_destroy(&refs[i]);
}

static void mutex_state(void)
{
	const char *t = "state-mutex";
	fluke_mutex_state_t st, in = { 0x1234, FLUKE_MUTEX_MULTITASK | FLUKE_MUTEX_INHERIT_PRI, 1 };
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_mutex_create(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &st, &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, st.flags == 0 && st.locked == 0 && type_of(0) == FLUKE_TYPE_NONE);
	uint32_t hash = st.hash;
	CHECK(t, fluke_mutex_set_state(&mutexes[0], &in, 0) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &st, 0) == FLUKE_SUCCESS);
	CHECK(t, st.hash == hash && st.flags == in.flags && st.locked == 1);
	/* set_state locked the mutex for the caller. */
	CHECK(t, fluke_mutex_trylock(&mutexes[0]) == FLUKE_WOULD_BLOCK);
	CHECK(t, fluke_mutex_unlock(&mutexes[0]) == FLUKE_SUCCESS);
	in.locked = 0;
	in.flags = 0;
	CHECK(t, fluke_mutex_set_state(&mutexes[0], &in, &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &st, 0) == FLUKE_SUCCESS);
	CHECK(t, st.hash == hash && st.flags == 0 && st.locked == 0);
	CHECK(t, fluke_mutex_destroy(&mutexes[0]) == FLUKE_SUCCESS);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void cond_state(void)
{
	const char *t = "state-cond";
	fluke_cond_state_t st, in = { 0, FLUKE_COND_MULTITASK };
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_cond_create(&cond) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_get_state(&cond, &st, 0) == FLUKE_SUCCESS && st.flags == 0);
	uint32_t hash = st.hash;
	CHECK(t, fluke_cond_set_state(&cond, &in, 0) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_get_state(&cond, &st, 0) == FLUKE_SUCCESS);
	CHECK(t, st.hash == hash && st.flags == FLUKE_COND_MULTITASK);
	/* The inheritor link: a thread, kept and given back; only a thread is taken. */
	make_refs();
	CHECK(t, fluke_thread_self(&refs[0]) == 0 && fluke_cond_set_state(&cond, 0, &refs[0]) == 0);
	CHECK(t, fluke_cond_get_state(&cond, &st, &refs[1]) == 0 && same(0, 1) == 1);
	CHECK(t, st.flags == FLUKE_COND_MULTITASK);	/* a NULL state kept the flags */
	CHECK(t, fluke_ref_clear(&refs[2]) == 0 && fluke_cond_set_state(&cond, 0, &refs[2]) == 0);
	CHECK(t, fluke_cond_get_state(&cond, 0, &refs[1]) == 0 && type_of(1) == FLUKE_TYPE_NONE);
	drop_refs();
	CHECK(t, fluke_cond_destroy(&cond) == FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
}

static void port_state(void)
{
	const char *t = "state-port-pset";
	fluke_port_state_t st, in = { 0, 0xfeed };
	fluke_pset_state_t pst;
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_port_create(&ports[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_pset_create(&psets[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_pset_get_state(&psets[0], &pst) == FLUKE_SUCCESS);
	CHECK(t, fluke_pset_set_state(&psets[0], &pst) == FLUKE_SUCCESS);
	CHECK(t, fluke_pset_reference(&psets[0], &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_ref_hash(&refs[0]) == pst.hash);
	CHECK(t, fluke_port_get_state(&ports[0], &st, &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, st.alias == 0 && type_of(1) == FLUKE_TYPE_NONE);
	uint32_t hash = st.hash;
	CHECK(t, fluke_port_set_state(&ports[0], &in, &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_port_get_state(&ports[0], &st, &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, st.hash == hash && st.alias == 0xfeed);
	CHECK(t, type_of(1) == FLUKE_TYPE_PSET && same(0, 1) == 1);
	/* Destroying the set nulls the port's link as well as the references. */
	CHECK(t, fluke_pset_destroy(&psets[0]) == FLUKE_SUCCESS);
	CHECK(t, type_of(0) == FLUKE_TYPE_NONE && type_of(1) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_ref_copy(&refs[1], &refs[2]) == FLUKE_SUCCESS);
	CHECK(t, fluke_port_reference(&ports[0], &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, fluke_port_get_state(&ports[0], &st, &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, type_of(1) == FLUKE_TYPE_NONE && st.alias == 0xfeed);
	CHECK(t, fluke_port_destroy(&ports[0]) == FLUKE_SUCCESS);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void ref_state(void)
{
	const char *t = "state-ref";
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_mutex_create(&mutexes[1]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_reference(&mutexes[1], &refs[0]) == FLUKE_SUCCESS);
	/* A reference's state is its link: get copies it out, set copies it in. */
	CHECK(t, fluke_ref_get_state(&refs[0], &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, same(0, 1) == 1);
	CHECK(t, fluke_ref_set_state(&refs[2], &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, same(2, 0) == 1 && type_of(2) == FLUKE_TYPE_MUTEX);
	CHECK(t, fluke_ref_set_state(&refs[2], &refs[3]) == FLUKE_SUCCESS);
	CHECK(t, type_of(2) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_mutex_destroy(&mutexes[1]) == FLUKE_SUCCESS);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void create_hash(void)
{
	const char *t = "create-hash";
	fluke_mutex_state_t ms = { 0 };
	fluke_cond_state_t cs = { 0 };
	fluke_port_state_t ps = { 0 };
	fluke_pset_state_t ss = { 0 };
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_mutex_create_hash(&mutexes[0], 0xabcd0001) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_create_hash(&cond, 0xabcd0002) == FLUKE_SUCCESS);
	CHECK(t, fluke_port_create_hash(&ports[0], 0xabcd0003) == FLUKE_SUCCESS);
	CHECK(t, fluke_pset_create_hash(&psets[0], 0xabcd0004) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &ms, 0) == 0 && ms.hash == 0xabcd0001);
	CHECK(t, fluke_cond_get_state(&cond, &cs, 0) == 0 && cs.hash == 0xabcd0002);
	CHECK(t, fluke_port_get_state(&ports[0], &ps, 0) == 0 && ps.hash == 0xabcd0003);
	CHECK(t, fluke_pset_get_state(&psets[0], &ss) == 0 && ss.hash == 0xabcd0004);
	/* set_state never changes the hash. */
	ms.hash = 7;
	CHECK(t, fluke_mutex_set_state(&mutexes[0], &ms, 0) == 0);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &ms, 0) == 0 && ms.hash == 0xabcd0001);
	CHECK(t, fluke_cond_reference(&cond, &refs[0]) == 0);
	CHECK(t, fluke_ref_hash(&refs[0]) == 0xabcd0002);
	/* Kernel-chosen hashes differ between objects. */
	CHECK(t, fluke_mutex_create(&mutexes[1]) == 0 && fluke_mutex_create(&mutexes[2]) == 0);
	CHECK(t, fluke_mutex_reference(&mutexes[1], &refs[1]) == 0);
	CHECK(t, fluke_mutex_reference(&mutexes[2], &refs[2]) == 0);
	CHECK(t, fluke_ref_hash(&refs[1]) != fluke_ref_hash(&refs[2]));
	CHECK(t, fluke_mutex_destroy(&mutexes[0]) == 0 && fluke_mutex_destroy(&mutexes[1]) == 0);
	CHECK(t, fluke_mutex_destroy(&mutexes[2]) == 0 && fluke_cond_destroy(&cond) == 0);
	CHECK(t, fluke_port_destroy(&ports[0]) == 0 && fluke_pset_destroy(&psets[0]) == 0);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void move(void)
{
	const char *t = "move";
	fluke_mutex_t on_stack[2];
	fluke_mutex_state_t st;
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_mutex_create_hash(&on_stack[0], 42) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_reference(&on_stack[0], &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_lock(&on_stack[0]) == FLUKE_SUCCESS);
	/* From the stack to bss, and from bss to data, locked and referenced. */
	CHECK(t, fluke_mutex_move(&on_stack[0], &mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_move(&mutexes[0], &data_mutex) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&data_mutex, &st, 0) == 0);
	CHECK(t, st.hash == 42 && st.locked == 1);
	CHECK(t, fluke_mutex_unlock(&data_mutex) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_reference(&data_mutex, &refs[1]) == FLUKE_SUCCESS);
	CHECK(t, same(0, 1) == 1 && fluke_ref_hash(&refs[0]) == 42);
	/* The old addresses hold no object: new objects may be created there. */
	CHECK(t, fluke_mutex_create(&on_stack[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_create(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_reference(&on_stack[0], &refs[2]) == FLUKE_SUCCESS);
	CHECK(t, same(0, 2) == 0);
	CHECK(t, fluke_mutex_destroy(&on_stack[0]) == 0 && fluke_mutex_destroy(&mutexes[0]) == 0);
	CHECK(t, fluke_mutex_destroy(&data_mutex) == 0);
	/* A moved reference still holds its link. */
	CHECK(t, fluke_port_create(&ports[1]) == 0);
	CHECK(t, fluke_port_reference(&ports[1], &refs[3]) == 0);
	CHECK(t, fluke_ref_move(&refs[3], (fluke_ref_t *)&on_stack[1]) == FLUKE_SUCCESS);
	CHECK(t, fluke_ref_type((fluke_ref_t *)&on_stack[1]) == FLUKE_TYPE_PORT);
	CHECK(t, fluke_ref_move((fluke_ref_t *)&on_stack[1], &refs[3]) == FLUKE_SUCCESS);
	CHECK(t, fluke_port_destroy(&ports[1]) == 0);
	drop_refs();
	test_record("PASS", "%s", t);
}

/* A condition, a port and its port set, and a reference made with a chosen hash
 * all move with their hashes and links: references to them, and the port's link
 * to its set, follow. */
static void move_every_type(void)
{
	const char *t = "move-every-type";
	fluke_cond_t cond_b;
	fluke_port_t port_b;
	fluke_pset_t pset_b;
	fluke_ref_t ref_b, ref_c;
	fluke_cond_state_t cs;
	fluke_port_state_t ps = { 0, 5 };
	fluke_pset_state_t ss;
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, fluke_cond_create_hash(&cond, 0xc0) == 0 && fluke_cond_reference(&cond, &refs[0]) == 0);
	CHECK(t, fluke_cond_move(&cond, &cond_b) == 0);
	CHECK(t, fluke_cond_get_state(&cond_b, &cs, 0) == 0 && cs.hash == 0xc0);
	CHECK(t, fluke_cond_reference(&cond_b, &refs[1]) == 0 && same(0, 1) == 1);
	CHECK(t, fluke_cond_destroy(&cond_b) == 0 && type_of(0) == FLUKE_TYPE_NONE);

	CHECK(t, fluke_pset_create_hash(&psets[0], 0x5e) == 0 &&
		 fluke_port_create_hash(&ports[0], 0x90) == 0);
	CHECK(t, fluke_pset_reference(&psets[0], &refs[0]) == 0 &&
		 fluke_port_set_state(&ports[0], &ps, &refs[0]) == 0);
	CHECK(t, fluke_port_move(&ports[0], &port_b) == 0 &&
		 fluke_pset_move(&psets[0], &pset_b) == 0);
	CHECK(t, fluke_port_get_state(&port_b, &ps, &refs[1]) == 0);
	CHECK(t, ps.hash == 0x90 && ps.alias == 5 && same(0, 1) == 1);	/* still its set */
	CHECK(t, fluke_pset_get_state(&pset_b, &ss) == 0 && ss.hash == 0x5e);
	CHECK(t, fluke_pset_reference(&pset_b, &refs[2]) == 0 && same(0, 2) == 1);

	CHECK(t, fluke_ref_create_hash(&ref_b, 0x4ef) == 0 &&
		 fluke_port_reference(&port_b, &ref_b) == 0);
	CHECK(t, fluke_ref_move(&ref_b, &ref_c) == 0 && fluke_ref_type(&ref_c) == FLUKE_TYPE_PORT &&
		 fluke_ref_hash(&ref_c) == 0x90);
	CHECK(t, fluke_port_destroy(&port_b) == 0 && fluke_pset_destroy(&pset_b) == 0);
	CHECK(t, fluke_ref_type(&ref_c) == FLUKE_TYPE_NONE && type_of(0) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_ref_destroy(&ref_c) == 0);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void references(void)
{
	const char *t = "references";
	test_record("BEGIN", "%s", t);
	make_refs();
	CHECK(t, type_of(0) == FLUKE_TYPE_NONE && fluke_ref_hash(&refs[0]) == 0);
	CHECK(t, same(0, 1) == 1);	/* both null */
	CHECK(t, fluke_cond_create_hash(&cond, 99) == 0 && fluke_port_create(&ports[0]) == 0);
	CHECK(t, fluke_cond_reference(&cond, &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, type_of(0) == FLUKE_TYPE_COND && fluke_ref_hash(&refs[0]) == 99);
	CHECK(t, same(0, 1) == 0);
	CHECK(t, fluke_ref_copy(&refs[1], &refs[0]) == FLUKE_SUCCESS);
	CHECK(t, same(0, 1) == 1 && type_of(1) == FLUKE_TYPE_COND);
	CHECK(t, fluke_port_reference(&ports[0], &refs[2]) == FLUKE_SUCCESS);
	CHECK(t, type_of(2) == FLUKE_TYPE_PORT && same(1, 2) == 0);
	/* Rebinding a reference drops its old target. */
	CHECK(t, fluke_ref_copy(&refs[1], &refs[2]) == 0 && same(1, 2) == 1);
	CHECK(t, fluke_ref_clear(&refs[1]) == FLUKE_SUCCESS && type_of(1) == FLUKE_TYPE_NONE);
	CHECK(t, type_of(2) == FLUKE_TYPE_PORT);
	/* Destroying a target nulls every reference to it; others keep theirs. */
	CHECK(t, fluke_ref_copy(&refs[3], &refs[0]) == 0);
	CHECK(t, fluke_cond_destroy(&cond) == FLUKE_SUCCESS);
	CHECK(t, type_of(0) == FLUKE_TYPE_NONE && type_of(3) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_ref_hash(&refs[0]) == 0 && type_of(2) == FLUKE_TYPE_PORT);
	/* Destroying a reference leaves its target alone. */
	CHECK(t, fluke_ref_destroy(&refs[2]) == 0 && fluke_ref_create(&refs[2]) == 0);
	CHECK(t, type_of(2) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_port_reference(&ports[0], &refs[2]) == 0);
	CHECK(t, fluke_port_destroy(&ports[0]) == 0);
	CHECK(t, type_of(2) == FLUKE_TYPE_NONE);
	drop_refs();
	test_record("PASS", "%s", t);
}

static void mutex_ops(void)
{
	const char *t = "mutex";
	fluke_mutex_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mutex_create(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_trylock(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_trylock(&mutexes[0]) == FLUKE_WOULD_BLOCK);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &st, 0) == 0 && st.locked == 1);
	CHECK(t, fluke_mutex_unlock(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_get_state(&mutexes[0], &st, 0) == 0 && st.locked == 0);
	CHECK(t, fluke_mutex_lock(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_trylock(&mutexes[0]) == FLUKE_WOULD_BLOCK);
	CHECK(t, fluke_mutex_unlock(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_lock(&mutexes[0]) == FLUKE_SUCCESS);
	/* Destroying a locked mutex is allowed; the address is free again. */
	CHECK(t, fluke_mutex_destroy(&mutexes[0]) == FLUKE_SUCCESS);
	CHECK(t, fluke_mutex_create(&mutexes[0]) == 0 && fluke_mutex_trylock(&mutexes[0]) == 0);
	CHECK(t, fluke_mutex_unlock(&mutexes[0]) == 0 && fluke_mutex_destroy(&mutexes[0]) == 0);
	test_record("PASS", "%s", t);
}

static void cond_ops(void)
{
	const char *t = "cond";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_cond_create(&cond) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_signal(&cond) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_broadcast(&cond) == FLUKE_SUCCESS);
	CHECK(t, fluke_cond_destroy(&cond) == FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
}

/* Creates a reference in its own frame and returns without destroying it; the
 * reference's address, and in *rc what its create returned. */
static __attribute__((noinline)) uint32_t leave_ref_behind(int *rc)
{
	fluke_ref_t r;
	*rc = fluke_ref_create(&r);
	return (uint32_t)&r;
}

static volatile uint32_t insane;	/* the insanity code the handler saw */

/* Skip the insane call (its int $0x40), which then returns -1. */
static void skip_insanity(uint32_t exc, uint32_t code, uint32_t addr)
{
	fluke_thread_saved_t s;
	(void)addr;
	insane = exc == FLUKE_EXC_INSANITY ? code : 0;
	fluke_thread_get_saved_state(&s);
	s.eip += 2;
	s.eax = (uint32_t)-1;
	fluke_thread_set_saved_state(&s);
}

/* api.md section 1: an object in a stack frame outlives the function, and the next
 * call that creates one at that address raises OBJECT_EXISTS. */
static uint32_t stack_at[3];
static int stack_rc[3];

/* What happens before each of the three calls of leave_ref_behind. */
static void before_first(void)
{
}

static void before_second(void)		/* its create is insane: skip it */
{
	fluke_exception_handler(skip_insanity);
}

static void before_third(void)		/* the pattern: destroy it, then it works again */
{
	fluke_exception_handler(0);
	fluke_object_destroy((void *)stack_at[0]);
}

static void stack_object(void)
{
	const char *t = "stack-object-outlives";
	static void (*const before[3])(void) = { before_first, before_second, before_third };
	test_record("BEGIN", "%s", t);
	/* One call site in a loop that is not unrolled, so each frame is at one place. */
	for (volatile int i = 0; i < 3; i++) {
		before[i]();
		stack_at[i] = leave_ref_behind(&stack_rc[i]);
	}
	CHECK(t, stack_rc[0] == 0 && stack_at[1] == stack_at[0] && stack_at[2] == stack_at[0]);
	CHECK(t, stack_rc[1] == -1 && insane == FLUKE_INSANITY_OBJECT_EXISTS);
	CHECK(t, stack_rc[2] == 0 && fluke_ref_type((void *)stack_at[0]) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_object_destroy((void *)stack_at[0]) == 0);
	test_record("PASS", "%s", t);
}

int main(void)
{
	stack_object();		/* first: no other check's stack objects below main yet */
	mutex_state();
	cond_state();
	port_state();
	ref_state();
	create_hash();
	move();
	move_every_type();
	references();
	mutex_ops();
	cond_ops();
	printf("objcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
