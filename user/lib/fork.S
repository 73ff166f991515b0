/*
 * fork() (<unistd.h>): push the registers a C call keeps, and ask the process
 * manager for a copy (fluke_fork_call in posix.c) whose thread starts at
 * fluke_fork_resume with esp at those registers, in its copy of this stack:
 * it pops them and returns 0 from fork to the same caller. The parent pops
 * them and returns the child's pid (or -1).
 */
.text
.globl fork
fork:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, %eax
	subl	$12, %esp		/* the call's esp + 4 16-byte aligned, if ours was */
	pushl	%eax
	call	fluke_fork_call
	addl	$16, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

.globl fluke_fork_resume
fluke_fork_resume:
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	xorl	%eax, %eax
	ret
