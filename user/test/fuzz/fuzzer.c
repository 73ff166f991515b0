/*
 * The fuzzing thread: fuzz_calls system calls with random numbers and random
 * arguments biased toward values that reach deep into the kernel. Its own
 * exception handler survives the Insanity each misuse raises. Everything it
 * knows lives in its own memory (fuzz.h), so nothing it does can touch the parent.
 *
 * Excluded calls (their defined effect is to take the fuzzing thread's own
 * exceptions or control away from it, which would end the test legitimately):
 *   thread_set_handlers, thread_disable_exceptions (its next Insanity would be
 *   unhandled), thread_set_saved_state (its next thread_return_from_exception
 *   would jump to a random address). thread_return_from_exception itself is kept:
 *   the saved state always says "return from the call site" (see handler).
 * One argument is bounded: console_write's length, to at most 63 bytes of garbage.
 */
#include "fuzz.h"
#include <fluke/abi/error.h>
#include <fluke/exception.h>
#include <fluke/abi/syscall_numbers.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>

#define EFLAGS_TF	0x100u
#define EFLAGS_DF	0x400u

uint32_t fuzz_seed = 1, fuzz_calls = 10000, fuzz_keeper;

static struct fuzz_report *const rep = (struct fuzz_report *)FUZZ_REPORT_VA;
static uint32_t rng;
static volatile int exc_seen;	/* the current call raised an exception */

/* Every call of the table, for the calls drawn from it. */
static const uint32_t table[] = {
	SYS_console_write, SYS_test_record, SYS_debug_shutdown, SYS_object_create,
	SYS_object_destroy, SYS_object_move, SYS_object_reference, SYS_object_get_state,
	SYS_object_set_state, SYS_ref_copy, SYS_ref_clear, SYS_ref_compare, SYS_ref_hash,
	SYS_ref_type, SYS_mutex_lock, SYS_mutex_trylock, SYS_mutex_unlock, SYS_cond_wait,
	SYS_cond_signal, SYS_cond_broadcast, SYS_cond_reacquire, SYS_thread_self,
	SYS_thread_interrupt, SYS_thread_yield, SYS_space_self, SYS_region_protect,
	SYS_mapping_protect, SYS_region_search, SYS_region_dirty, SYS_vm_stats, SYS_ipc,
	SYS_ipc_alert,
	SYS_thread_enable_exceptions, SYS_thread_get_saved_state,
	SYS_thread_return_from_exception,
};
#define TABLE_N	(sizeof(table) / sizeof(table[0]))

/* xorshift32: deterministic for a seed, never 0. */
uint32_t fuzz_rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

uint32_t fuzz_slot(uint32_t i)
{
	return FUZZ_OBJ_VA + (i % FUZZ_SLOTS) * 16;
}

/* An argument: mostly values the kernel treats specially. */
uint32_t fuzz_value(void)
{
	switch (fuzz_rnd() % 16) {
	case 0:
		return 0;
	case 1:
		return ~0u;
	case 2:
		return fuzz_rnd() % 40;			/* types, prots, flags, priorities */
	case 3:
		return 0xc0000000u + (fuzz_rnd() % 0x400000) * 4;	/* the kernel half */
	case 4:
		return fuzz_slot(fuzz_rnd()) + 1 + fuzz_rnd() % 15;	/* unaligned */
	case 5:
	case 6:
		return fuzz_slot(fuzz_rnd() % 16);		/* the objects made first (smart.c) */
	case 7:
	case 8:
		return fuzz_slot(fuzz_rnd());			/* made, moved, destroyed or empty */
	case 9:
	case 10:
		return FUZZ_BUF_VA + (fuzz_rnd() % FUZZ_BUF_BYTES & ~3u);	/* its own memory */
	case 11:
		return FUZZ_PAGE << (fuzz_rnd() % 8);	/* sizes and offsets */
	case 12:
		return 0xc0000000u - FUZZ_PAGE * (fuzz_rnd() % 3) - 16 * (fuzz_rnd() % 2);	/* the top */
	case 13:
		return (uint32_t)fuzz_main + fuzz_rnd() % 4096;	/* its text: read-only */
	default:
		if (fuzz_keeper)	/* memory the parent backs, or not, as it likes */
			return FUZZ_KEPT_VA + fuzz_rnd() % (FUZZ_KEPT_PAGES * FUZZ_PAGE);
		return fuzz_rnd();
	}
}

/* The one place the fuzzer enters the kernel: fuzz_call_site is its int $0x40. */
__attribute__((noinline, noclone)) static uint32_t call(uint32_t n, uint32_t a, uint32_t b,
							 uint32_t c, uint32_t d, uint32_t e)
{
	__asm__ volatile(".globl fuzz_call_site\nfuzz_call_site:\n\tint $0x40"
			 : "+a"(n), "+b"(a), "+c"(b), "+d"(c), "+S"(d), "+D"(e) : : "memory", "cc");
	return n;
}
extern const char fuzz_call_site[];

/* A minion's way out: an unhandled invalid opcode. */
__attribute__((noreturn)) static void minion_exit(void)
{
	fluke_thread_disable_exceptions();
	__builtin_trap();
}

/* Count the exception and resume just past the call site, TF and DF clear. The
 * saved eip is then always fuzz_call_site + 2, so a random
 * thread_return_from_exception returns from the call, as if it had returned.
 * An exception elsewhere is a stray: a failure in the fuzzing thread (on its own
 * stack); a minion (fuzz_minion) just dies of it. */
static void handler(uint32_t exc, uint32_t code, uint32_t addr)
{
	fluke_thread_saved_t s;
	uint32_t sp = (uint32_t)&s;
	int main_thread = sp - FUZZ_STACK_VA < FUZZ_STACK_PAGES * FUZZ_PAGE;
	(void)code, (void)addr;
	fluke_thread_get_saved_state(&s);
	exc_seen = 1;
	if (exc == FLUKE_EXC_INSANITY)
		rep->insanities++;
	else
		rep->faults++;
	if (s.eip != (uint32_t)fuzz_call_site && main_thread) {
		rep->strays++;
		rep->stray_eip = s.eip;
	}
	s.eip = s.eip == (uint32_t)fuzz_call_site || main_thread ? (uint32_t)fuzz_call_site + 2
								   : (uint32_t)minion_exit;
	s.eflags &= ~(EFLAGS_TF | EFLAGS_DF);
	fluke_thread_set_saved_state(&s);
}

static int excluded(uint32_t n)
{
	return n == SYS_thread_set_handlers || n == SYS_thread_disable_exceptions ||
	       n == SYS_thread_set_saved_state;
}

/* Mostly calls of the table, some numbers around it, a few anywhere. */
static uint32_t pick_call(void)
{
	uint32_t n;
	do {
		uint32_t r = fuzz_rnd() % 16;
		n = r < 12 ? table[fuzz_rnd() % TABLE_N] : r < 15 ? fuzz_rnd() % 128 : fuzz_rnd();
	} while (excluded(n));
	return n;
}

/* Calls whose result is a value, not an error code (thread_return_from_exception
 * returns the saved eax). */
static int returns_value(uint32_t n)
{
	return n == SYS_ref_compare || n == SYS_ref_hash || n == SYS_ref_type ||
	       n == SYS_thread_return_from_exception;
}

/* One random call, its result counted. */
static void one_call(void)
{
	uint32_t n = pick_call(), a[5];
	for (int j = 0; j < 5; j++)
		a[j] = fuzz_value();
	if (fuzz_rnd() % 2)
		smart_args(n, a);
	if (n == SYS_console_write)
		a[1] %= 64;	/* a readable console: garbage, but little of it */
	exc_seen = 0;
	uint32_t r = call(n, a[0], a[1], a[2], a[3], a[4]);
	if (!exc_seen && r != 0 && !returns_value(n))
		rep->errors++;
	else if (!exc_seen && r == 0)
		smart_note(n, a);
}

void fuzz_minion(void)
{
	fluke_exception_handler(handler);
	for (int i = 0; i < FUZZ_MINION_CALLS; i++)
		one_call();
	minion_exit();
}

void fuzz_main(void)
{
	uint32_t *buf = (uint32_t *)FUZZ_BUF_VA;
	rng = fuzz_seed * 2654435761u ^ 0x5bd1e995u;
	if (rng == 0)
		rng = 1;
	fluke_exception_handler(handler);
	for (uint32_t i = 0; i < FUZZ_BUF_BYTES / 4; i++)
		buf[i] = fuzz_value();
	smart_init();
	call(SYS_object_destroy, fuzz_slot(0) + 1, 0, 0, 0, 0);	/* primes the saved state */
	rep->insanities = rep->faults = 0;
	for (uint32_t i = 0; i < fuzz_calls; i++) {
		if (i % 256 == 0)
			smart_templates();
		rep->calls = i + 1;
		one_call();
	}
	rep->done = 1;
	for (;;)
		fluke_thread_yield();
}
