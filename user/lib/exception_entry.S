/*
 * Where the kernel sends a thread's exception or interrupt: EAX = exception
 * (FLUKE_EXC_INTERRUPT for an interrupt), ECX = code, EDX = fault address, on the
 * thread's stack. Each handler function installed through <fluke/exception.h> has
 * a slot (exception.c); the kernel holds, per thread, the entry of a slot:
 * fluke_handler_entries + slot * 16, which pushes the slot number and goes on
 * here. Call the slot's C function, then resume: thread_return_from_exception
 * restores EAX, ECX, EDX, EIP and EFLAGS; the C calling convention keeps EBX,
 * ESI, EDI; EBP and ESP (the slot number popped) are restored here.
 */
#include <fluke/abi/syscall_numbers.h>
#include <fluke/exception.h>

.text
.balign 16
.globl fluke_handler_entries
fluke_handler_entries:
	.set slot, 0
	.rept FLUKE_HANDLER_SLOTS
	.balign 16
	pushl	$slot
	jmp	common
	.set slot, slot + 1
	.endr

common:
	pushl	%ebp
	movl	%esp, %ebp
	andl	$~15, %esp
	pushl	4(%ebp)		/* the slot */
	pushl	%edx
	pushl	%ecx
	pushl	%eax
	call	fluke_exception_dispatch
	movl	%ebp, %esp
	popl	%ebp
	leal	4(%esp), %esp	/* the slot, leaving EFLAGS alone */
	movl	$SYS_thread_return_from_exception, %eax
	int	$0x40
1:	jmp	1b		/* not reached */
