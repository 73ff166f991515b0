/*
 * The signal trampoline (<fluke/process.h>, struct fluke_sigframe): a process
 * manager delivering a signal leaves the frame below the interrupted esp and
 * starts the thread here. Call handler(sig) with the stack 16-byte aligned as
 * the manager left it (the frame starts 4 bytes past a multiple of 16), then
 * restore the eight registers (popal skips esp), eflags, and return to eip:
 * esp ends where it was.
 */
.text
.globl fluke_sigtramp
fluke_sigtramp:
	movl	4(%esp), %eax		/* handler */
	pushl	(%esp)			/* its argument: sig */
	call	*%eax
	addl	$12, %esp		/* the argument, sig and handler */
	popal
	popfl
	ret
