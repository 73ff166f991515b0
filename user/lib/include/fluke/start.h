/*
 * How a program starts (handouts/overview.md, "Start-up"). Every program's
 * initial stack holds [esp] argc, [esp+4] argv, [esp+8] arg, [esp+12] kind:
 *   FLUKE_START_BOOT   the kernel started it as the first task; arg is its
 *                      struct fluke_boot_info (<fluke/abi/boot.h>);
 *   FLUKE_START_CHILD  a monitor started it; arg is a struct fluke_start_info in
 *                      its memory holding a reference to its Parent port.
 * crt0 saves both before main(argc, argv, arg); the library then uses the
 * Parent protocol for everything a first task asks the kernel for directly.
 */
#ifndef FLUKE_START_H
#define FLUKE_START_H

#include <fluke/abi/boot.h>		/* FLUKE_START_BOOT, FLUKE_START_CHILD */

struct fluke_start_info {
	fluke_ref_t parent;	/* the Parent protocol port, for this process */
};

extern uint32_t fluke_start_kind;
extern void *fluke_start_arg;
extern const char *fluke_start_name;	/* argv[0], or NULL */
extern uint64_t fluke_start_tsc;	/* the time-stamp counter at _start */

/* The Parent reference; NULL for the first task. */
const fluke_ref_t *fluke_parent(void);
/* The boot info; NULL unless the kernel started this program. */
struct fluke_boot_info *fluke_boot(void);
/* A reference to the caller's own space (made on first use). */
const fluke_ref_t *fluke_self_space(void);

/* Start another thread of this program, in the thread object t: it runs fn(arg) at
 * priority (at most the caller's own) on the size bytes at stack, which must stay
 * untouched while it runs. fn must never return; a thread ends by destroying its
 * own object (or with the program). Returns 0 or FLUKE_NO_MEMORY. */
int fluke_thread_start(fluke_thread_t *t, void (*fn)(void *), void *arg, void *stack,
		       uint32_t size, uint32_t priority);

#endif
