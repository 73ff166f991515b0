/*
 * The system-call path around the generated dispatcher: a call whose access to
 * the caller's own memory failed where a region keeper can help does not end. Its
 * registers become the call again (a call that already made progress has recorded
 * it in its registers or in user memory, as a stopped thread's would be), the
 * thread asks the keeper before it returns to user mode (thread/user_return.h),
 * and then runs the call again. Only once the keeper refuses does the call get its
 * error. The system call's vector calls syscall() itself (arch/trapentry.S): it
 * is the whole C side of a call, the way back to user mode included.
 */
#include "syscall/syscall.h"
#include "syscall_dispatch.h"
#include "thread/thread.h"
#include "thread/user_return.h"
#include "ipc/keeper.h"
#include "vm/uaccess.h"

void syscall(struct trapframe *tf)
{
	uint32_t number = tf->eax, eip = tf->eip;
	struct thread *t = current;
	uaccess_forget();
	uint32_t result = syscall_dispatch(tf);
	if (tf->eip != eip)
		tf->eax = result;	/* it restarts: it set its registers itself */
	else if (t->kfault.pending || (uaccess_any_keepable() && keeper_defer_fault(t))) {
		tf->eax = number;	/* the call again, as it was or as far as it got */
		tf->eip -= SYSCALL_INSN_LEN;
	} else {
		tf->eax = result;
		t->kfault.refused = 0;	/* the call is over */
	}
	user_return(tf);
}
