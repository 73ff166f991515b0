/* The shell's parts: sh.c (lines, built-ins, commands) and job.c (jobs over a
 * process manager). */
#ifndef SH_H
#define SH_H

#include <fluke/abi/error.h>

/* The status of the last command or job ($?). */
extern int sh_status;
/* Replace each word $? by sh_status. */
void sh_expand(char **words, int n);
/* Run the line as a job if it is one (| < > or a final &): 1 if it was. */
int sh_job(char **words, int n);
/* Make group pgid the console's foreground, wait for the n pids (0 or less:
 * none there) and set sh_status from the last; returns it. */
int sh_foreground(int pgid, const int *pids, int n);
/* Wait for every child (the "wait" built-in). */
void sh_wait_all(void);

#endif
