/*
 * Result codes of Fluke system calls: 0 is success. Resource and communication
 * failures are returned; programming errors ("insanity") will raise exceptions.
 */
#ifndef FLUKE_ERROR_H
#define FLUKE_ERROR_H

#define FLUKE_SUCCESS		0
#define FLUKE_INVALID_SYSCALL	1	/* no system call has this number */
#define FLUKE_BAD_ADDRESS	2	/* a buffer is not accessible to the caller */
#define FLUKE_INVALID_ARGUMENT	3
#define FLUKE_NOT_PERMITTED	4
#define FLUKE_NO_MEMORY		5

#endif
