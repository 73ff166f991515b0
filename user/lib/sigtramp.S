/*
 * The signal trampoline (<fluke/process.h>, struct fluke_sigframe): a process
 * manager delivering a signal leaves the frame just below the interrupted esp
 * (its last word, eip, at esp - 4) and starts the thread here with esp at the
 * frame. Call fluke_sigrun(sig, handler) on a 16-byte aligned stack (ebp holds
 * the frame meanwhile: the callee keeps it, and the frame restores it), then
 * restore the eight registers (popal skips esp), eflags, and return to eip: esp
 * ends exactly where it was, the frame's end.
 */
.text
.globl fluke_sigtramp
fluke_sigtramp:
	movl	%esp, %ebp		/* the frame */
	andl	$-16, %esp
	subl	$8, %esp
	pushl	4(%ebp)			/* handler */
	pushl	0(%ebp)			/* sig: esp is aligned at the call */
	call	fluke_sigrun
	leal	8(%ebp), %esp		/* past sig and handler */
	popal
	popfl
	ret
