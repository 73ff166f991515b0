/*
 * Priorities.
 * thread-wake-preempts: a thread that wakes one of higher priority (here by
 * unlocking the mutex it waits for) loses the CPU to it at once, not at the next
 * timer tick.
 * thread-priority-inheritance: the classic inversion, with a
 * FLUKE_MUTEX_INHERIT_PRI mutex. Low holds the mutex, High waits for it, and
 * Medium, between the two, computes for a long while. Low inherits High's
 * priority while High waits, so it finishes its critical section ahead of Medium
 * and High has the mutex long before Medium is done; without inheritance Medium
 * would run to its end first. The main thread, above all three, waits on a
 * condition meanwhile.
 */
#include <string.h>
#include <fluke/mutex.h>
#include <fluke/start.h>
#include <fluke/abi/state.h>
#include <fluke/test.h>
#include <fluke/thread.h>
#include "thrcheck.h"

enum { LOW, MID, HIGH, NROLES };

static fluke_mutex_t shared;		/* the inheriting mutex */
static fluke_mutex_t news_lock;		/* guards the flags below */
static fluke_cond_t news;
static fluke_thread_t roles[NROLES];
static uint8_t stacks[NROLES][4096] __attribute__((aligned(16)));
static volatile int low_holds, go, done[NROLES], never;
static volatile uint32_t clock, high_got, mid_done, low_unlocked;

static uint32_t now(void)
{
	return __atomic_add_fetch(&clock, 1, __ATOMIC_SEQ_CST);
}

static void announce(volatile int *flag)
{
	fluke_mutex_lock(&news_lock);
	*flag = 1;
	fluke_cond_broadcast(&news);
	fluke_mutex_unlock(&news_lock);
}

static void await(volatile int *flag)
{
	fluke_mutex_lock(&news_lock);
	while (!*flag)
		fluke_cond_wait(&news, &news_lock);
	fluke_mutex_unlock(&news_lock);
}

static void compute(uint32_t n)
{
	for (volatile uint32_t i = 0; i < n; i++)
		;
}

/* Say so and wait for good: the main thread destroys the role's thread. */
static void end(int role)
{
	announce(&done[role]);
	await(&never);
}

static void low(void *unused)
{
	(void)unused;
	fluke_mutex_lock(&shared);
	announce(&low_holds);
	await(&go);
	compute(200000);		/* the critical section */
	fluke_mutex_unlock(&shared);
	low_unlocked = now();
	end(LOW);
}

static void mid(void *unused)
{
	(void)unused;
	compute(3000000);
	mid_done = now();
	end(MID);
}

static void high(void *unused)
{
	(void)unused;
	fluke_mutex_lock(&shared);
	high_got = now();
	fluke_mutex_unlock(&shared);
	end(HIGH);
}

static int start_role(int role, void (*fn)(void *))
{
	return fluke_thread_start(&roles[role], fn, 0, stacks[role], sizeof(stacks[role]),
				  FLUKE_PRIO_DEFAULT - 3 + role);
}

/* Run low, then the other roles asked for, until they end; shared inherits or not. */
static int play(uint32_t flags, int with_mid)
{
	fluke_mutex_state_t ms;
	memset(&ms, 0, sizeof(ms));
	ms.flags = flags;
	low_holds = go = 0;
	memset((void *)done, 0, sizeof(done));
	clock = high_got = mid_done = low_unlocked = 0;
	if (fluke_mutex_create(&shared) || fluke_mutex_set_state(&shared, &ms, 0) ||
	    fluke_mutex_create(&news_lock) || fluke_cond_create(&news) || start_role(LOW, low))
		return -1;
	await(&low_holds);
	done[MID] = !with_mid;
	if ((with_mid && start_role(MID, mid)) || start_role(HIGH, high))
		return -1;
	announce(&go);
	int bad = 0;
	for (int role = 0; role < NROLES; role++) {
		await(&done[role]);
		if (role != MID || with_mid)
			bad |= fluke_thread_destroy(&roles[role]);
	}
	return bad || fluke_mutex_destroy(&shared) || fluke_mutex_destroy(&news_lock) ||
	       fluke_cond_destroy(&news) ? -1 : 0;
}

void wake_preempts(void)
{
	const char *t = "thread-wake-preempts";
	test_record("BEGIN", "%s", t);
	CHECK(t, play(0, 0) == 0);
	test_record("INFO", "high got the mutex at %u, low went on at %u", high_got,
		    low_unlocked);
	CHECK(t, high_got != 0 && low_unlocked != 0 && high_got < low_unlocked);
	test_record("PASS", "%s", t);
}

void priority_inheritance(void)
{
	const char *t = "thread-priority-inheritance";
	test_record("BEGIN", "%s", t);
	CHECK(t, play(FLUKE_MUTEX_INHERIT_PRI, 1) == 0);
	test_record("INFO", "high got the mutex at %u, mid was done at %u", high_got, mid_done);
	CHECK(t, high_got != 0 && mid_done != 0 && high_got < mid_done);
	test_record("PASS", "%s", t);
}
