/*
 * Where the kernel sends a thread's exception: EAX = exception, ECX = code,
 * EDX = fault address, on the faulting stack. Call the installed C handler, then
 * resume: thread_return_from_exception restores EAX, ECX, EDX, EIP and EFLAGS;
 * the C calling convention keeps EBX, ESI, EDI; EBP and ESP are restored here.
 */
#include <fluke/syscall_numbers.h>

.text
.globl fluke_exception_entry
fluke_exception_entry:
	pushl	%ebp
	movl	%esp, %ebp
	andl	$~15, %esp
	subl	$4, %esp
	pushl	%edx
	pushl	%ecx
	pushl	%eax
	call	*fluke_exception_fn_installed
	movl	%ebp, %esp
	popl	%ebp
	movl	$SYS_thread_return_from_exception, %eax
	int	$0x40
1:	jmp	1b		/* not reached */
