/* thrcheck: the checks that live in files of their own. */
#ifndef THRCHECK_H
#define THRCHECK_H

void priority_inheritance(void);	/* inherit.c */

#endif
