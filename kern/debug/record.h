/*
 * Test records on I/O port 0xE9 and the end of a run (handouts/boot.md sections 4, 5).
 * Every record is "FLUKE <nonce> <KIND> <text>\n".
 */
#ifndef KERN_DEBUG_RECORD_H
#define KERN_DEBUG_RECORD_H

#include <stdint.h>

/* Why the machine stops: the value written to the isa-debug-exit port. */
enum end_status {
	END_OK = 0,
	END_PANIC = 1,
	END_TIMEOUT = 2,
	END_TASK_FAILED = 3,
	END_DEADLOCK = 4,	/* no thread can ever run again (debug/blocked.h) */
};

/* Read nonce= and budget= from the command line; the budget counts from now. */
void record_init(const char *cmdline);
/* The busy count when record_init ran: BOOT's tsc=, where budget= starts counting. */
uint64_t record_start_tsc(void);
void record_emit(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Emit a record a user program asked for; -1 if its kind is not one programs may use. */
int record_emit_user(const char *line, unsigned len);
/* Stop with a TIMEOUT record if the busy counts since BOOT passed the budget. */
void record_check_budget(void);
/* Emit the END record and stop the machine. */
void record_end(enum end_status status) __attribute__((noreturn));

#endif
