/*
 * What the kernel sends keepers. Both messages are idempotent IPC requests
 * (FLUKE_IPC_RECV_IDEMPOTENT from fluke_ipc_wait_receive), sent on the faulting
 * thread's behalf; the thread waits until the keeper replies, then retries.
 *
 * A page fault that translation cannot satisfy (handouts/api.md §7) goes to the
 * keeper port of the region where translation stopped; so does a system call's
 * access to the thread's memory (eip is then the call's int $0x40, and the call
 * runs again once the keeper replies; api.md §10.4). A synchronous exception
 * that the thread's own trap handler does not take (exceptions disabled, or no
 * handler) goes to the keeper port of the thread's space.
 *
 * The message is one fluke_keeper_msg_t, with references: refs[0] the faulting
 * thread, refs[1] the region (page fault) or the space (exception). Receive it
 * with a fluke_keeper_msg_t buffer and two reference slots.
 *
 * The reply is empty, or one word: 0 says the keeper handled it (the thread
 * retries the access, or resumes with whatever registers the keeper set), and
 * anything else says it could not: a page fault then becomes an exception of the
 * thread (to its handler or its space's keeper; a system call instead returns
 * FLUKE_BAD_ADDRESS), an exception becomes fatal.
 * A keeper may also just stop the thread (fluke_thread_get_state), change it and
 * resume it with fluke_thread_set_state; a reply that then finds nobody waiting
 * is dropped, as any idempotent reply may be. Idempotence makes every loss safe:
 * a thread that stops waiting (stopped, or its keeper died) simply faults again.
 */
#ifndef FLUKE_ABI_KEEPER_H
#define FLUKE_ABI_KEEPER_H

#include <stdint.h>

#define FLUKE_KEEPER_PAGE_FAULT	1
#define FLUKE_KEEPER_EXCEPTION	2

/* Why translation stopped (page faults). */
#define FLUKE_FAULT_NO_SPACE	1	/* a region's space link is null */
#define FLUKE_FAULT_NOT_USER	2
#define FLUKE_FAULT_NO_MAPPING	3	/* the region's space has no mapping there */
#define FLUKE_FAULT_NO_REGION	4	/* a mapping's region link is null */
#define FLUKE_FAULT_BEYOND	5	/* past the end of the region */
#define FLUKE_FAULT_PROT	6	/* the access exceeds a protection */
#define FLUKE_FAULT_DEPTH	7	/* the chain is too long */

typedef struct fluke_keeper_msg {
	uint32_t kind;		/* FLUKE_KEEPER_* */
	uint32_t addr;		/* the faulting address in the thread's space (page fault, or
				 * an exception that is one), else 0 */
	uint32_t access;	/* page fault: FLUKE_PROT_READ or FLUKE_PROT_WRITE */
	uint32_t offset;	/* page fault: offset in the region where translation stopped */
	uint32_t why;		/* page fault: FLUKE_FAULT_* */
	uint32_t exc;		/* exception: FLUKE_EXC_* (<fluke/thread.h>) */
	uint32_t code;		/* exception: its code (x86 error code, FLUKE_INSANITY_*) */
	uint32_t eip;		/* where the thread was */
} fluke_keeper_msg_t;

#define FLUKE_KEEPER_REFS	2	/* the thread, then the region or the space */

#endif
