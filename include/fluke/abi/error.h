/*
 * Result codes of Fluke system calls: 0 is success. Resource and communication
 * failures are returned; programming errors ("insanity") raise a synchronous
 * exception in the calling thread instead (see below).
 */
#ifndef FLUKE_ERROR_H
#define FLUKE_ERROR_H

#define FLUKE_SUCCESS		0
#define FLUKE_INVALID_SYSCALL	1	/* no system call has this number */
#define FLUKE_BAD_ADDRESS	2	/* a buffer is not accessible to the caller */
#define FLUKE_INVALID_ARGUMENT	3
#define FLUKE_NOT_PERMITTED	4
#define FLUKE_NO_MEMORY		5
#define FLUKE_WOULD_BLOCK	6	/* trylock: the mutex is locked */
#define FLUKE_INTERRUPTED	7	/* thread_interrupt cut the call short */
#define FLUKE_NOT_FOUND		8	/* Common Protocols: no such file, program or child */
#define FLUKE_IO_ERROR		9	/* Block: the disk reported an error or did not answer */

/*
 * Insanity codes: the error code of the Insanity exception a misused call raises.
 * The thread's registers are left as they were at the int $0x40 of the call (EIP
 * included), so the report points at the offending call. Until keepers exist the
 * exception ends the thread.
 */
#define FLUKE_INSANITY_NO_OBJECT	1	/* no object lives at the address */
#define FLUKE_INSANITY_NOT_ALIGNED	2	/* an object address is not 16-byte aligned */
#define FLUKE_INSANITY_OBJECT_EXISTS	3	/* create or move onto a live object */
#define FLUKE_INSANITY_INVALID_ADDRESS	4	/* not mapped user-writable in the caller's space */
#define FLUKE_INSANITY_INVALID_PROT	5	/* create or move into memory without CREATE_OB */
#define FLUKE_INSANITY_INVALID_OBJECT	6	/* unknown type, or the call does not apply to it */
#define FLUKE_INSANITY_INVALID_STATE	7	/* set_state: a field holds an undefined value */
#define FLUKE_INSANITY_MUTEX_LOCKED	8	/* mutex_lock by the thread that holds it */
#define FLUKE_INSANITY_MUTEX_NOT_HELD	9	/* unlock or cond_wait without holding the mutex */
#define FLUKE_INSANITY_CURRENT_THREAD	10	/* get/set_state of the calling thread itself */
#define FLUKE_INSANITY_ADDRESS_OVERLAP	11	/* a mapping overlaps another in its space */
/* An object of the wrong type: 16 + the expected FLUKE_TYPE_*. */
#define FLUKE_INSANITY_NOT_THREAD	17
#define FLUKE_INSANITY_NOT_SPACE	18
#define FLUKE_INSANITY_NOT_REGION	19
#define FLUKE_INSANITY_NOT_MAPPING	20
#define FLUKE_INSANITY_NOT_PORT		21
#define FLUKE_INSANITY_NOT_PSET		22
#define FLUKE_INSANITY_NOT_MUTEX	23
#define FLUKE_INSANITY_NOT_COND		24
#define FLUKE_INSANITY_NOT_REF		25
#define FLUKE_INSANITY_NOT_TYPE(t)	(16 + (t))

#endif
