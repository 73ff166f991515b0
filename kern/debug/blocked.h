/*
 * What the machine's threads wait on, once none can run (handouts/boot.md section 4).
 * The timer wakes no thread: only console input can. So when the idle thread is all
 * that runs and no thread waits for console input, no thread will ever run again.
 */
#ifndef KERN_DEBUG_BLOCKED_H
#define KERN_DEBUG_BLOCKED_H

/* Called by the idle thread (the current thread) once each time the machine falls
 * idle. With no thread waiting for console input: a DEADLOCK record, one BLOCKED
 * record per thread (also on the console), and the end of the run, END status=4.
 * Otherwise an IDLE record (how many threads wait for input, and how many input
 * characters came so far) and the BLOCKED records, and the machine waits: the
 * grader, which knows whether it will type more, judges. */
void blocked_report(void);

#endif
