/*
 * The system-call fuzzer (handouts/api.md, "The fuzzer"): what the parent, the
 * first task (fuzz.c), and the fuzzing thread it runs in a child space (fuzzer.c)
 * share. The child's memory, all of it pages of the parent's free memory:
 *   the program's text and read-only data    mapped from the parent's regions
 *   its data and bss                          a private copy, at the same address
 *   FUZZ_STACK_VA                             its stack
 *   FUZZ_OBJ_VA                               object slots, then argument buffers
 *   FUZZ_REPORT_VA                            struct fuzz_report, read by the parent
 *   FUZZ_KEPT_VA (keeper=1)                   a region the parent keeps: a keeper
 *                                             thread backs, refuses and takes back
 *                                             its pages at random
 */
#ifndef USER_FUZZ_FUZZ_H
#define USER_FUZZ_FUZZ_H

#include <stdint.h>

#define FUZZ_PAGE		4096u
#define FUZZ_STACK_VA		0x50000000u
#define FUZZ_STACK_PAGES	4
#define FUZZ_OBJ_VA		0x60000000u
#define FUZZ_OBJ_PAGES		2	/* object slots */
#define FUZZ_BUF_PAGES		6	/* argument buffers, after the slots */
#define FUZZ_REPORT_VA		0x70000000u
#define FUZZ_KEPT_VA		0x68000000u
#define FUZZ_KEPT_PAGES		4

/* Written by the fuzzing thread only. */
struct fuzz_report {
	volatile uint32_t calls;	/* the fuzzing thread's, started so far (the watchdog's) */
	volatile uint32_t insanities;	/* Insanity exceptions survived (minions' too) */
	volatile uint32_t faults;	/* other exceptions survived (minions' too) */
	volatile uint32_t errors;	/* calls that returned an error code (minions' too) */
	volatile uint32_t strays;	/* the fuzzing thread's exceptions away from the call site */
	volatile uint32_t stray_eip;	/* where the last one struck */
	volatile uint32_t done;		/* every call made */
};

/* Set by the parent before it copies its data into the child. fuzz_keeper: some
 * pointer arguments point into the kept region. */
extern uint32_t fuzz_seed, fuzz_calls, fuzz_keeper;

/* The fuzzing thread's entry, on its own stack in the child space. */
void fuzz_main(void) __attribute__((noreturn));

/* Inside the fuzzing thread (fuzzer.c, smart.c). */
#define FUZZ_MINION_CALLS	100
/* A minion: another thread in the fuzzer's space, started by a random call with a
 * thread template (smart.c), that makes FUZZ_MINION_CALLS random calls and dies. */
void fuzz_minion(void) __attribute__((noreturn));
#define FUZZ_SLOTS	(FUZZ_OBJ_PAGES * FUZZ_PAGE / 16)
#define FUZZ_BUF_VA	(FUZZ_OBJ_VA + FUZZ_OBJ_PAGES * FUZZ_PAGE)
#define FUZZ_BUF_BYTES	(FUZZ_BUF_PAGES * FUZZ_PAGE)
uint32_t fuzz_rnd(void);		/* the seeded generator */
uint32_t fuzz_slot(uint32_t i);		/* the address of object slot i (mod FUZZ_SLOTS) */
uint32_t fuzz_value(void);		/* a random argument, biased */
/* Make the objects every run starts with and the argument templates. */
void smart_init(void);
/* Rewrite the templates (random calls overwrite them). */
void smart_templates(void);
/* Arguments for call n that fit together (an object and a state of its type...):
 * 1 if it chose them in a[0..4], 0 if n has no such pattern. */
int smart_args(uint32_t n, uint32_t a[5]);
/* Call n with arguments a succeeded: keep track of the objects it made or moved. */
void smart_note(uint32_t n, const uint32_t a[5]);

#endif
