/*
 * Asking the checkpointer (monitors/ckpt) for a checkpoint. The request travels
 * on the Process port (<fluke/process.h>) with an op no process manager uses, so
 * a program that asks under any other monitor just gets FLUKE_NOT_FOUND (or
 * FLUKE_INVALID_ARGUMENT from a process manager) and runs on.
 *
 * FLUKE_CKPT_TAKE carries a request id: the checkpointer stops the asking thread
 * inside this very call, so the call is resent when the thread resumes, both
 * after the checkpoint and after a restore from it; the checkpointer answers
 * the resend from what it kept (and saved in the image) instead of taking a
 * second checkpoint. The answer's arg0 is the checkpoint's sequence number.
 */
#ifndef FLUKE_CKPT_H
#define FLUKE_CKPT_H

#include <stdint.h>

#define FLUKE_CKPT_TAKE	0x100	/* arg2 request -> arg0 the checkpoint's number */

/* Ask for a checkpoint of this program now: FLUKE_SUCCESS once it is on disk
 * (and the program resumed), or an error; its number in *seq (may be NULL). */
int fluke_ckpt_request(uint32_t *seq);

#endif
