/*
 * Threads as objects: create and start threads in this space, stop them wherever
 * they are (spinning in user mode, blocked on a mutex or a condition), read and
 * change their registers, resume them; thread_self, interrupt, move, hash, the
 * mutex owner link; priorities (priority.c). Each check is a test record.
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/mutex.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>
#include <fluke/thread.h>
#include "thrcheck.h"

#define STACK_SIZE 4096
#define PATIENCE 200		/* yields before a wait counts as a failure */

static fluke_thread_t child, moved;
static fluke_mutex_t mutex;
static fluke_cond_t cond;
static fluke_ref_t self_space, ref_a, ref_b;
static uint8_t stack[STACK_SIZE] __attribute__((aligned(16)));

static volatile unsigned counter;
static volatile int flag;

/* Yield until *v becomes nonzero; 0 if it does not within PATIENCE yields. */
static int wait_for(volatile int *v)
{
	for (int i = 0; i < PATIENCE && !*v; i++)
		fluke_thread_yield();
	return *v != 0;
}

static void spin(void)
{
	for (;;)
		counter++;
}

static void raise_flag(void)
{
	flag = 1;
	fluke_thread_destroy(&child);	/* a thread may end itself */
}

static void lock_then_flag(void)
{
	fluke_mutex_lock(&mutex);
	flag = 1;
	fluke_mutex_unlock(&mutex);
	fluke_thread_destroy(&child);
}

static void wait_then_flag(void)
{
	fluke_mutex_lock(&mutex);
	flag = 1;			/* "I am about to wait" */
	fluke_cond_wait(&cond, &mutex);
	flag = 2;			/* woken, and holding the mutex again */
	fluke_mutex_unlock(&mutex);
	fluke_thread_destroy(&child);
}

static void lock_then_spin(void)
{
	fluke_mutex_lock(&mutex);
	fluke_mutex_unlock(&mutex);
	flag = 1;			/* "I waited, and run on" */
	for (;;)
		fluke_thread_yield();	/* runnable, never blocked again */
}

/* Start child at fn with a fresh stack in this space. */
static int start(void (*fn)(void))
{
	fluke_thread_state_t st;
	memset(&st, 0, sizeof(st));
	st.priority = FLUKE_PRIO_DEFAULT;
	st.eip = (uint32_t)fn;
	st.esp = (uint32_t)(stack + STACK_SIZE - 16);
	flag = 0;
	if (fluke_thread_create(&child) != 0)
		return -1;
	return fluke_thread_set_state(&child, &st, &self_space, NULL);
}

static void resume(fluke_thread_state_t *st)
{
	st->flags &= ~FLUKE_THREAD_STOPPED;
	fluke_thread_set_state(&child, st, NULL, NULL);
}

static void create_and_run(void)
{
	const char *t = "thread-run";
	test_record("BEGIN", "%s", t);
	CHECK(t, start(raise_flag) == 0);
	CHECK(t, wait_for(&flag));
	test_record("PASS", "%s", t);
}

static void stop_spinning(void)
{
	const char *t = "thread-stop-spinning";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, start(spin) == 0);
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();
	CHECK(t, fluke_thread_get_state(&child, &st, NULL, NULL, NULL, NULL, NULL) == 0);
	CHECK(t, st.flags & FLUKE_THREAD_STOPPED);
	CHECK(t, st.eip >= (uint32_t)spin && st.eip < (uint32_t)raise_flag);
	unsigned seen = counter;
	for (int i = 0; i < 5; i++)
		fluke_thread_yield();
	CHECK(t, counter == seen);		/* stopped means stopped */
	st.eip = (uint32_t)raise_flag;		/* resume somewhere else */
	resume(&st);
	CHECK(t, wait_for(&flag));
	test_record("PASS", "%s", t);
}

static int is_syscall_insn(uint32_t eip)
{
	const uint8_t *p = (const uint8_t *)eip;
	return p[0] == 0xcd && p[1] == 0x40;
}

/* Hold the mutex, start a child that locks it, and stop the child while it waits:
 * its state in *st, its waiting_for link in ref_a. 0, or -1. */
static int block_child_on_mutex(fluke_thread_state_t *st)
{
	if (fluke_mutex_lock(&mutex) != 0 || start(lock_then_flag) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();
	return fluke_thread_get_state(&child, st, NULL, NULL, &ref_a, NULL, NULL) == 0 ? 0 : -1;
}

static void stop_blocked_mutex(void)
{
	const char *t = "thread-stop-blocked-mutex";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, block_child_on_mutex(&st) == 0);
	CHECK(t, fluke_mutex_reference(&mutex, &ref_b) == 0);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_b) == 1);	/* waiting for our mutex */
	CHECK(t, is_syscall_insn(st.eip) && st.eax == SYS_mutex_lock);
	resume(&st);
	fluke_thread_yield();
	CHECK(t, flag == 0);			/* still waiting: we hold the mutex */
	CHECK(t, fluke_mutex_unlock(&mutex) == 0);
	CHECK(t, wait_for(&flag));
	test_record("PASS", "%s", t);
}

/* A stopped thread's waiting_for link dies with the object it waited on. */
static void waited_object_destroyed(void)
{
	const char *t = "thread-waiting-for-destroyed";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, block_child_on_mutex(&st) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_MUTEX);
	CHECK(t, fluke_mutex_destroy(&mutex) == 0);
	CHECK(t, fluke_thread_get_state(&child, &st, NULL, NULL, &ref_a, NULL, NULL) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_thread_destroy(&child) == 0 && fluke_mutex_create(&mutex) == 0);
	test_record("PASS", "%s", t);
}

/* A thread that waited and was woken waits for nothing: stopped while it runs, its
 * waiting_for link is null (the kernel leaves the link in place at a wake-up, for the
 * next wait on the same object, and must not report it). */
static void woken_waits_for_nothing(void)
{
	const char *t = "thread-woken-waits-for-nothing";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	flag = 0;
	CHECK(t, fluke_mutex_lock(&mutex) == 0 && start(lock_then_spin) == 0);
	for (int i = 0; i < 3; i++)
		fluke_thread_yield();		/* it waits for the mutex now */
	CHECK(t, fluke_mutex_unlock(&mutex) == 0);
	CHECK(t, wait_for(&flag));
	CHECK(t, fluke_thread_get_state(&child, &st, NULL, NULL, &ref_a, NULL, NULL) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_NONE);
	CHECK(t, fluke_thread_destroy(&child) == 0);
	test_record("PASS", "%s", t);
}

static void stop_blocked_cond(void)
{
	const char *t = "thread-stop-blocked-cond";
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	CHECK(t, start(wait_then_flag) == 0);
	CHECK(t, wait_for(&flag));		/* it is in (or about to enter) cond_wait */
	CHECK(t, fluke_mutex_lock(&mutex) == 0);	/* so it waits now */
	CHECK(t, fluke_thread_get_state(&child, &st, NULL, NULL, &ref_a, NULL, NULL) == 0);
	CHECK(t, fluke_cond_reference(&cond, &ref_b) == 0);
	CHECK(t, fluke_ref_compare(&ref_a, &ref_b) == 1);
	CHECK(t, is_syscall_insn(st.eip) && st.eax == SYS_cond_reacquire);
	resume(&st);
	CHECK(t, fluke_cond_signal(&cond) == 0);
	CHECK(t, fluke_mutex_unlock(&mutex) == 0);
	for (int i = 0; i < PATIENCE && flag != 2; i++)
		fluke_thread_yield();
	CHECK(t, flag == 2);
	test_record("PASS", "%s", t);
}

static void interrupt_cond(void)
{
	const char *t = "thread-interrupt";
	test_record("BEGIN", "%s", t);
	CHECK(t, start(wait_then_flag) == 0);
	CHECK(t, wait_for(&flag));
	fluke_thread_yield();
	CHECK(t, flag == 1);			/* waiting: nobody signals */
	CHECK(t, fluke_thread_interrupt(&child) == 0);
	for (int i = 0; i < PATIENCE && flag != 2; i++)
		fluke_thread_yield();
	CHECK(t, flag == 2);			/* woke up, relocked, went on */
	test_record("PASS", "%s", t);
}

static void owner_link(void)
{
	const char *t = "thread-mutex-owner";
	fluke_mutex_state_t ms;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_thread_self(&ref_a) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_THREAD);
	CHECK(t, fluke_mutex_lock(&mutex) == 0);
	CHECK(t, fluke_mutex_get_state(&mutex, &ms, &ref_b) == 0);
	CHECK(t, ms.locked == 1 && fluke_ref_compare(&ref_a, &ref_b) == 1);
	CHECK(t, fluke_mutex_unlock(&mutex) == 0);
	CHECK(t, fluke_mutex_get_state(&mutex, &ms, &ref_b) == 0);
	CHECK(t, ms.locked == 0 && fluke_ref_type(&ref_b) == FLUKE_TYPE_NONE);
	test_record("PASS", "%s", t);
}

static void state_round_trip(void)
{
	const char *t = "thread-state-round-trip";
	fluke_thread_state_t in, out;
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_thread_create_hash(&moved, 0x5eed) == 0);
	memset(&in, 0, sizeof(in));
	in.flags = FLUKE_THREAD_STOPPED;
	in.priority = 9;
	in.eax = 1, in.ebx = 2, in.ecx = 3, in.edx = 4, in.esi = 5, in.edi = 6, in.ebp = 7;
	in.esp = 0x1234, in.eip = 0x5678, in.eflags = 0x0801;	/* OF and CF */
	in.flags |= FLUKE_THREAD_EXCEPTIONS;
	in.trap_handler = 0x1111, in.interrupt_handler = 0x2222;
	in.saved.eax = 10, in.saved.ecx = 11, in.saved.edx = 12, in.saved.eip = 13;
	in.saved.eflags = 0x0040;	/* ZF */
	CHECK(t, fluke_thread_set_state(&moved, &in, NULL, NULL) == 0);
	CHECK(t, fluke_thread_get_state(&moved, &out, &ref_a, NULL, NULL, NULL, NULL) == 0);
	in.hash = 0x5eed;
	CHECK(t, memcmp(&in, &out, sizeof(in)) == 0);
	CHECK(t, fluke_ref_type(&ref_a) == FLUKE_TYPE_NONE);	/* no space yet */
	CHECK(t, fluke_thread_move(&moved, &child) == 0);
	CHECK(t, fluke_thread_get_state(&child, &out, NULL, NULL, NULL, NULL, NULL) == 0);
	CHECK(t, out.hash == 0x5eed && out.eip == 0x5678);
	CHECK(t, fluke_thread_destroy(&child) == 0);
	test_record("PASS", "%s", t);
}

int main(void)
{
	if (fluke_mutex_create(&mutex) || fluke_cond_create(&cond) || fluke_ref_create(&ref_a) ||
	    fluke_ref_create(&ref_b) || fluke_ref_create(&self_space) ||
	    fluke_space_self(&self_space)) {
		test_record("FAIL", "thrcheck setup");
		return 1;
	}
	create_and_run();
	stop_spinning();
	stop_blocked_mutex();
	waited_object_destroyed();
	woken_waits_for_nothing();
	stop_blocked_cond();
	interrupt_cond();
	owner_link();
	state_round_trip();
	wake_preempts();
	priority_inheritance();
	printf("thrcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
