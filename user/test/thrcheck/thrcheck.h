/* thrcheck: the checks that live in files of their own. */
#ifndef THRCHECK_H
#define THRCHECK_H

void wake_preempts(void);		/* priority.c */
void priority_inheritance(void);

#endif
