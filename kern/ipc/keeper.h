/*
 * Keepers: page faults and exceptions sent as idempotent IPC on the faulting
 * thread's behalf (user/include/fluke/keeper.h). The thread's registers stay
 * those of the faulting instruction, so its restart form is simply to run it
 * again: fault again, send again. The kernel keeps nothing a checkpointer would
 * need: waking, a stop, a lost reply all end in that retry.
 */
#ifndef KERN_IPC_KEEPER_H
#define KERN_IPC_KEEPER_H

struct trapframe;

/* The current thread's user page fault could not be translated (its fault record
 * says where): send it to the responsible region's keeper, or, with none, make it
 * an exception. Returns when the thread may go back to user mode. */
void keeper_page_fault(struct trapframe *tf);
/* The current thread's exception is not taken by its handler: send it to its
 * space's keeper. 0 if the keeper handled it, -1 if there is none or it failed. */
int keeper_exception(struct trapframe *tf);

#endif
