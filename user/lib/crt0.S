/*
 * Program entry (<fluke/start.h>). The loader leaves [esp] = argc, [esp+4] =
 * argv, [esp+8] = the start argument and [esp+12] = the start kind (first task:
 * its struct fluke_boot_info; a monitor's child: its struct fluke_start_info).
 * Save those two, call main(argc, argv, arg) and hand its result to exit().
 */
.section .text.start, "ax"
.globl _start
_start:
	xorl	%ebp, %ebp		/* ends backtraces */
	movl	8(%esp), %ecx
	movl	%ecx, fluke_start_arg
	movl	12(%esp), %ecx
	movl	%ecx, fluke_start_kind
	movl	(%esp), %eax
	movl	4(%esp), %edx
	movl	8(%esp), %ecx
	andl	$~15, %esp
	subl	$4, %esp
	pushl	%ecx
	pushl	%edx
	pushl	%eax
	call	main
	pushl	%eax
	call	exit
1:	jmp	1b
