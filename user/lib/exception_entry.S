/*
 * Where the kernel sends a thread's exception or interrupt: EAX = exception
 * (FLUKE_EXC_INTERRUPT for an interrupt), ECX = code, EDX = fault address, on the
 * thread's stack. Call the installed C handler (exception.c), then
 * resume: thread_return_from_exception restores EAX, ECX, EDX, EIP and EFLAGS;
 * the C calling convention keeps EBX, ESI, EDI; EBP and ESP are restored here.
 */
#include <fluke/abi/syscall_numbers.h>

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
	call	fluke_exception_dispatch
	movl	%ebp, %esp
	popl	%ebp
	movl	$SYS_thread_return_from_exception, %eax
	int	$0x40
1:	jmp	1b		/* not reached */
