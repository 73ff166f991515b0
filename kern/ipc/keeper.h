/*
 * Keepers: page faults and exceptions sent as idempotent IPC on the faulting
 * thread's behalf (include/fluke/abi/keeper.h). The thread's registers stay
 * those of the faulting instruction, so its restart form is simply to run it
 * again: fault again, send again. The kernel keeps nothing a checkpointer would
 * need: waking, a stop, a lost reply all end in that retry.
 */
#ifndef KERN_IPC_KEEPER_H
#define KERN_IPC_KEEPER_H

struct trapframe;
struct thread;

/* The current thread's user page fault could not be translated (its fault record
 * says where): send it to the responsible region's keeper, or, with none, make it
 * an exception. Returns when the thread may go back to user mode. */
void keeper_page_fault(struct trapframe *tf);
/* The current thread's exception is not taken by its handler: send it to its
 * space's keeper. 0 if the keeper handled it, -1 if there is none or it failed. */
int keeper_exception(struct trapframe *tf);

/*
 * System calls. A call whose access to thread t's memory failed where a region
 * keeper could help (vm/uaccess.h) leaves t's registers as a call to run again,
 * and this notes the fault for t: 1 if it did, 0 if no keeper can help or the
 * keeper already refused during this call. Before t next returns to user mode,
 * keeper_pending_fault sends the fault as a page-fault request (as if t had
 * touched the address itself) and the call runs again once the keeper answers.
 */
int keeper_defer_fault(struct thread *t);
/* Send the current thread's pending fault to its keeper and wait for the answer. */
void keeper_pending_fault(struct trapframe *tf);

#endif
